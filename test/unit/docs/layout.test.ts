// The layout table of docs/architecture.md is enforced by ESLint's import-x/no-restricted-paths zones: an import
// that breaks it must fail `npm run lint`, and an allowed one must not.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const ESLINT = path.join(ROOT, 'node_modules', '.bin', 'eslint');

interface LintMessage {
  ruleId: string | null;
  message: string;
}

/**
 * Runs the project's own ESLint on a probe file read from stdin as if it stood at `file`. The probe is not on disk,
 * so type-aware parsing (and the one rule that needs it) is off; the zones need only module resolution.
 */
function zoneErrors(file: string, source: string): string[] {
  let out: string;
  try {
    out = execFileSync(
      ESLINT,
      [
        '--stdin',
        '--stdin-filename',
        file,
        '--parser-options',
        'projectService:false',
        '--rule',
        '@typescript-eslint/no-floating-promises: off',
        '--format',
        'json',
      ],
      { cwd: ROOT, input: source, encoding: 'utf8' },
    );
  } catch (err) {
    // ESLint exits 1 when it reports an error; its JSON is still on stdout.
    out = (err as { stdout: string }).stdout;
  }
  const [result] = JSON.parse(out) as { messages: LintMessage[] }[];
  return (result?.messages ?? []).filter((m) => m.ruleId === 'import-x/no-restricted-paths').map((m) => m.message);
}

describe('layout zones', () => {
  it.each([
    ['slack/probe.ts', "import { runCli } from '../cli/main';\nvoid runCli;\n", 'slack/ may import'],
    [
      'sandbox/probe.ts',
      "import { loadConfig } from '../config/config';\nvoid loadConfig;\n",
      'sandbox/ may import nothing',
    ],
    [
      'domain/probe.ts',
      "import { findLockfiles } from '../scan';\nvoid findLockfiles;\n",
      'domain/ may import nothing',
    ],
    [
      'lockfiles/probe.ts',
      "import { loadConfig } from '../config/config';\nvoid loadConfig;\n",
      'lockfiles/ may import',
    ],
    [
      'workflows/probe.ts',
      "import { actionActivities } from '../activities/registry';\nvoid actionActivities;\n",
      'workflows/ may import',
    ],
    [
      'cli/probe.ts',
      "import { defaultHandlers } from '../worker/handlers';\nvoid defaultHandlers;\n",
      'cli/ may import',
    ],
  ])('refuses an import that breaks the table (%s)', (file, source, message) => {
    const errors = zoneErrors(file, source);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(message);
  });

  it.each([
    ['slack/probe.ts', "import { connectClient } from '../client/connect';\nvoid connectClient;\n"],
    ['workflows/probe.ts', "import type { ActionPlan } from '../activities/types';\nexport type P = ActionPlan;\n"],
  ])('accepts an import the table allows (%s)', (file, source) => {
    expect(zoneErrors(file, source)).toEqual([]);
  });
});
