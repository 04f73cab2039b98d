// The README is the manual: every command `cordon help` lists, every flag it shows and every environment variable the
// code reads must be in it, so a newcomer never has to read the source to find a setting.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { runCli } from '../../../cli/main';

const ROOT = path.resolve(__dirname, '../../..');
const README = readFileSync(path.join(ROOT, 'README.md'), 'utf8');

async function help(): Promise<string> {
  let out = '';
  const sink = (write: (s: string) => void) => new Writable({ write: (c, _e, done) => (write(String(c)), done()) });
  const code = await runCli(['help'], { stdout: sink((s) => (out += s)), stderr: sink(() => {}), env: {}, cwd: ROOT });
  expect(code).toBe(0);
  return out;
}

function productSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return productSources(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Product code: what a user runs. Tests, benches and the sandbox read variables of their own. */
const PRODUCT = ['domain', 'lockfiles', 'workflows', 'activities', 'config', 'codec', 'client', 'audit', 'scan']
  .concat(['worker', 'slack', 'cli', 'drill', 'devserver'])
  .flatMap((d) => productSources(path.join(ROOT, d)));

/** Variables read as `env.X`, `env['X']` or declared in a config schema (`  X: z…`). */
function variablesRead(): string[] {
  const found = new Set<string>();
  for (const file of PRODUCT) {
    const src = readFileSync(file, 'utf8');
    for (const m of src.matchAll(/\benv(?:\.|\[')([A-Z][A-Z0-9]*_[A-Z0-9_]+)/g)) found.add(m[1]!);
    if (file.includes(`${path.sep}config${path.sep}`))
      for (const m of src.matchAll(/^\s+([A-Z][A-Z0-9]*_[A-Z0-9_]+): z\./gm)) found.add(m[1]!);
  }
  // Set by cordon for the AWS SDK (its Node version warning), not a setting for users.
  found.delete('AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED');
  return [...found].sort();
}

describe('README', () => {
  it('mentions every command `cordon help` lists', async () => {
    const text = await help();
    const commands = [...text.matchAll(/^ {2}([a-z][a-z-]+(?: (?:validate|schema|export|verify))?)/gm)].map(
      (m) => m[1]!,
    );
    expect(commands).toEqual(expect.arrayContaining(['scan', 'declare', 'approve', 'audit verify']));
    const missing = commands.filter((c) => !new RegExp(`cordon(?: --)? ${c}\\b`).test(README));
    expect(missing).toEqual([]);
  });

  it('documents every flag `cordon help` shows', async () => {
    const flags = [...new Set((await help()).match(/--[a-z][a-z-]+/g) ?? [])];
    expect(flags.length).toBeGreaterThan(10);
    expect(flags.filter((f) => !new RegExp(`(?<![a-z-])${f}(?![a-z-])`).test(README))).toEqual([]);
  });

  it('documents every environment variable the product reads', () => {
    const vars = variablesRead();
    expect(vars).toEqual(expect.arrayContaining(['TEMPORAL_ADDRESS', 'GITHUB_TOKEN', 'CORDON_CODEC_KEYS']));
    expect(vars.filter((v) => !README.includes(v))).toEqual([]);
  });
});
