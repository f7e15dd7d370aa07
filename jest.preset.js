// Shared jest configuration. Each project's jest.config.js spreads this.
// ts-jest transpiles only (isolatedModules in tsconfig.base.json): type-checking is the
// separate `typecheck` target, which keeps test runs fast on small machines.
const path = require('node:path');

// Tests judge what a fresh run judges: the policy result cache is off unless a test turns it on
// (it is off in CI anyway), and child processes inherit the setting.
process.env.CORE_POLICIES_CACHE ??= 'off';

/** @param {string} projectDir absolute path of the project using the preset */
module.exports = function preset(projectDir) {
  return {
    rootDir: projectDir,
    testEnvironment: 'node',
    // Resolve workspace packages to their TypeScript sources, as synth does.
    testEnvironmentOptions: { customExportConditions: ['@core-infra/source', 'node', 'require', 'default'] },
    transform: {
      '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(projectDir, 'tsconfig.json') }],
    },
    moduleFileExtensions: ['ts', 'js', 'json'],
    testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/src/**/*.test.ts'],
    cacheDirectory: path.join(__dirname, 'node_modules', '.cache', 'jest'),
    reporters: [
      'default',
      [path.join(__dirname, 'scripts', 'jest-results-reporter.js'), {}],
    ],
    maxWorkers: process.env.CI ? 2 : '50%',
  };
};
