#!/usr/bin/env node
// Prints one workspace-wide test summary line from every project's .test-results/summary.json.
// Runs after `nx run-many -t typecheck lint test`, so the last line of `npm test` is the
// test count that CI reads, whether the tests ran now or came from the Nx cache.
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const projectDirs = [path.join(root, 'test')];
for (const group of ['packages', 'apps']) {
  for (const name of fs.readdirSync(path.join(root, group)).sort()) projectDirs.push(path.join(root, group, name));
}
for (const projectDir of projectDirs) {
  {
    if (!fs.existsSync(path.join(projectDir, 'jest.config.js'))) continue;
    const file = path.join(projectDir, '.test-results', 'summary.json');
    if (!fs.existsSync(file)) {
      missing.push(path.relative(root, projectDir));
      continue;
    }
    const summary = JSON.parse(fs.readFileSync(file, 'utf8'));
    passed += summary.passed;
    failed += summary.failed;
    skipped += summary.skipped;
  }
}
if (missing.length > 0) {
  console.error(`no test results for: ${missing.join(', ')} (run their test target first)`);
  process.exitCode = 1;
}
if (passed === 0) {
  console.error('no test was executed');
  process.exitCode = 1;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (failed > 0) process.exitCode = 1;
