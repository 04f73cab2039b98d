import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { runCordon } from '../../../harness/cli';

const ROOT = path.resolve(__dirname, '../../../..');

const run = (args: string[]) => runCordon(args, ROOT, {});

describe('cordon playbook validate', () => {
  it('exits 0 for the shipped playbook', async () => {
    const r = await run(['playbook', 'validate', 'playbooks/supply-chain-compromise.yaml']);
    expect(r).toMatchObject({ code: 0, err: '' });
    const file = path.join(ROOT, 'playbooks/supply-chain-compromise.yaml');
    const doc = parse(readFileSync(file, 'utf8')) as { steps: unknown[] };
    expect(r.out).toMatch(
      new RegExp(
        `^playbooks/supply-chain-compromise\\.yaml: ok \\(${doc.steps.length} steps, sha256 [0-9a-f]{64}\\)\n$`,
      ),
    );
  });

  it('exits 2 with file:line:col and the path of each problem', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-pb-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(
      file,
      'apiVersion: cordon/v1\nkind: Playbook\nname: bad\nversion: 1\nphases: [contain]\nsteps:\n  - id: x\n    phase: contain\n    action: github.disableWorkflows\n    mutates: yes\n',
    );
    const r = await run(['playbook', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file}:10:5: steps[0].mutates: Invalid input: expected boolean, received string\n`);
  });

  it('exits 2 with one line for a missing file and for bad usage, and runs as a real process', async () => {
    expect(await run(['playbook', 'validate', 'nope.yaml'])).toMatchObject({
      code: 2,
      err: 'nope.yaml: cannot read: ENOENT\n',
    });
    expect(await run(['playbook', 'frobnicate'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^cordon playbook: usage: /),
    });
    expect(await run(['nonsense'])).toMatchObject({
      code: 2,
      err: 'cordon: unknown command "nonsense" (try cordon help)\n',
    });
    const p = spawnSync(
      'npm',
      ['run', '-s', 'cordon', '--', 'playbook', 'validate', 'playbooks/supply-chain-compromise.yaml'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(p.status).toBe(0);
  });
});
