import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { layoutZones } from './docs/layout.mjs';

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
      // The "may import" table of docs/architecture.md, checked: each folder imports only the rooms below it.
      'import-x/no-restricted-paths': ['error', { basePath: import.meta.dirname, zones: layoutZones }],
    },
    settings: { 'import-x/resolver': { node: { extensions: ['.ts', '.js', '.mjs', '.json'] } } },
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
