import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCordon } from '../../harness/cli';

const ROOT = path.resolve(__dirname, '../../..');
const SHIPPED = readFileSync(path.join(ROOT, 'playbooks/supply-chain-compromise.yaml'), 'utf8');

/** One line on stderr, nothing else, exit 2: what a user error looks like to a person and to a CI gate. */
function expectOneLine(r: { code: number; err: string }, pattern: RegExp): void {
  expect(r.code).toBe(2);
  expect(r.err.split('\n')).toEqual([expect.stringMatching(pattern), '']);
}

describe('user errors are one line and exit 2', () => {
  it('refuses `list --status` with a status no incident can have, before connecting anywhere', async () => {
    const r = await runCordon(['list', '--status', 'bogus'], ROOT, {});
    expectOneLine(r, /^cordon list: --status bogus: expected one of running, awaiting-approval, completed, /);
    expect(r.out).toBe('');
  });

  it('does not pass a scan whose only lockfile could not be read as clean', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-unreadable-'));
    writeFileSync(path.join(dir, 'package-lock.json'), '{ "lockfileVersion": 3, "packages": {');
    const r = await runCordon(['scan', '.', '--package', 'npm:axios@1.14.1'], dir, {});
    expectOneLine(r, /^cordon scan: package-lock\.json:\d+: /);
    expect(r.out).toBe(
      'no exposure found in what could be read, but 1 input could not be (scanned 1 lockfile, 0 packages)\n',
    );
    const json = await runCordon(['scan', '.', '--package', 'npm:axios@1.14.1', '--format', 'json'], dir, {});
    expect(json.code).toBe(2);
    expect(JSON.parse(json.out)).toMatchObject({ findings: [], errors: [{ file: 'package-lock.json' }] });
  });

  it('prints the first YAML syntax error of a playbook only', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-yaml-'));
    // An unclosed flow mapping: the parser reports errors on about a hundred lines after it.
    writeFileSync(path.join(dir, 'p.yaml'), SHIPPED.replace('\nsteps:\n', '\nsteps: {\n'));
    const r = await runCordon(['playbook', 'validate', 'p.yaml'], dir, {});
    expectOneLine(r, /^p\.yaml:\d+:\d+: \(document\): YAML: /);
  });

  it('refuses a mistyped output reference and approver group with their positions', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-refs-'));
    writeFileSync(
      path.join(dir, 'p.yaml'),
      SHIPPED.replace('${steps.ci-exposure.output.workflows}', '${steps.ci-exposure.output.workflow}').replace(
        'group: legal',
        'group: legl',
      ),
    );
    const approvers = path.join(ROOT, 'deploy/approvers.yaml');
    const r = await runCordon(['playbook', 'validate', 'p.yaml', '--approvers', approvers], dir, {});
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      expect.stringMatching(/^p\.yaml:\d+:\d+: steps\[4\]\.inputs\.targets: .*no field "workflow"/),
      expect.stringMatching(/^p\.yaml:\d+:\d+: steps\[14\]\.approval\.group: approver group "legl" is not in/),
      '',
    ]);
    const missing = await runCordon(['playbook', 'validate', 'p.yaml', '--approvers', 'nope.yaml'], dir, {});
    expectOneLine(missing, /^cordon playbook: nope\.yaml: ENOENT/);
  });
});
