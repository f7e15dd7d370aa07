#!/usr/bin/env node
// @ts-check
/**
 * Prints a digest of the config override file named by CORE_CONFIG_FILE, for Nx to hash as a
 * runtime input of synth, validate and check-stateful: an experiment with an override file is
 * cached by the file's content, not only by its name. Nx runs it from the workspace root; a
 * relative path is resolved as the app's tasks resolve it (against the app folder), so every
 * app folder holding such a file is hashed, as is the path from the root.
 */
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const file = process.env.CORE_CONFIG_FILE;
if (!file) {
  console.log('no override');
} else {
  const appsDir = path.join(process.cwd(), 'apps');
  const appDirs = fs.existsSync(appsDir) ? fs.readdirSync(appsDir).map((app) => path.join(appsDir, app)) : [];
  const candidates = path.isAbsolute(file) ? [file] : [process.cwd(), ...appDirs].map((dir) => path.join(dir, file));
  for (const candidate of candidates) {
    const digest = fs.existsSync(candidate) ? createHash('sha256').update(fs.readFileSync(candidate)).digest('hex') : 'missing';
    console.log(`${path.relative(process.cwd(), candidate) || candidate} ${digest}`);
  }
}
