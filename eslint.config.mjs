import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.cordon/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
    },
  },
  // Import boundaries of the layout (DESIGN.md, "Layout"): each folder imports only what its row allows.
  {
    files: ['slack/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(cli|worker|sandbox|audit|lockfiles|scan|drill|devserver)(/|$)',
              message: 'slack/ imports domain/, client/, config/, codec/, workflow definitions and Slack views only.',
            },
            {
              regex: '^(\\.\\./)+activities/(?!slack/)',
              message: 'slack/ may use the Slack views of activities/slack only.',
            },
            {
              regex: '^(\\.\\./)+workflows/(?!definitions$)',
              message: 'slack/ uses the workflow definitions module only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['cli/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(worker|activities|sandbox|slack)(/|$)',
              message: 'cli/ parses and renders: process wiring belongs in devserver/ or drill/ entry points.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['worker/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(\\.\\./)+(sandbox|slack|cli)(/|$)',
              message: 'worker/ wires real clients: no sandbox, Slack app or CLI.',
            },
          ],
        },
      ],
    },
  },
  {
    // The sandbox must catch a client that misreads the protocol, so it shares none of the product's code.
    // The registry sandboxes are being made independent separately; they join this rule when that lands.
    files: ['sandbox/**/*.ts'],
    ignores: ['sandbox/npm-registry/**', 'sandbox/pypi/**', 'sandbox/crates-registry/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+(domain|lockfiles|workflows|activities|client|audit|config|codec|worker|slack|cli|scan|drill|devserver)(/|$)',
              message: 'sandbox/ imports nothing of the product.',
            },
          ],
        },
      ],
    },
  },
  {
    // Workflow code is replayed: it must be deterministic, so no Node built-ins, no I/O, no wall clock.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'crypto', 'http', 'https', 'child_process', 'os'],
              message: 'Workflows are deterministic: no Node built-ins.',
            },
            {
              group: ['../activities/*/*', '../worker/*', '../cli/*', '../slack/*'],
              message: 'Workflows import activity types only, through activities/types.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
      'no-restricted-properties': [
        'error',
        {
          object: 'Date',
          property: 'now',
          message: 'Use workflow time (Date in the sandbox is replay-safe, but be explicit via workflowInfo()).',
        },
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' },
      ],
    },
  },
);
