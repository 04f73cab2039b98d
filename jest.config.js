/**
 * Jest runs TypeScript through SWC (type-checking is `tsc --noEmit`, run separately by `npm test`).
 * Octokit and a few of its dependencies ship ESM only; SWC turns them into CommonJS for Jest's registry.
 */
const esmOnly = [
  '@octokit',
  '@noble',
  'universal-user-agent',
  'before-after-hook',
  'bottleneck',
  'content-type',
  'fast-content-type-parse',
  'json-with-bigint',
];

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  transformIgnorePatterns: [`/node_modules/(?!(${esmOnly.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/harness/global-setup.ts',
  globalTeardown: '<rootDir>/test/harness/global-teardown.ts',
  testTimeout: 120_000,
};
