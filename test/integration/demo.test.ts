// The README's first command, run as a newcomer would: `npm run -s demo -- --json`, checked against the summary
// contract in DESIGN.md and against the sandbox organisation's seeded truth.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { BUNDLE_FILES } from '../../audit/export';
import { generateOrg } from '../../sandbox/github';

const ROOT = path.resolve(__dirname, '../..');

describe('npm run -s demo -- --json', () => {
  it('runs the whole playbook against the sandbox org and prints the contract summary', () => {
    const r = spawnSync('npm', ['run', '-s', 'demo', '--', '--json'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.stderr.replace(/^npm warn.*\n/gm, '')).toBe('');
    expect(r.status).toBe(0);
    const summary = JSON.parse(r.stdout) as {
      incidentId: string;
      status: string;
      steps: {
        id: string;
        phase: string;
        status: string;
        approvals: { approver: string; decision: string; planHash: string }[];
        effects: Record<string, unknown>;
      }[];
      auditBundle: string;
      auditVerify: { ok: boolean; checks: Record<string, string>; counted: unknown; violations: unknown[] };
      sandbox: { openApiValidationFailures: number };
      notify: {
        packets: { recipient: string; markdown: string; html: string; sha256: string }[];
        delivered: { to: string[] }[];
        obligations: { id: string; who: string; deadline: string; state: string }[];
      };
    };
    expect(summary.incidentId).toMatch(/^incident-acme-drill-mastra-core-[0-9a-f]{8}$/);
    expect(summary.status).toBe('completed');
    expect(new Set(summary.steps.map((s) => s.phase))).toEqual(
      new Set(['declare', 'identify', 'contain', 'rotate', 'revoke', 'rollback', 'notify', 'close']),
    );
    for (const s of summary.steps) {
      expect(s).toEqual({
        id: expect.any(String),
        phase: expect.any(String),
        status: 'succeeded',
        approvals: expect.any(Array),
        effects: expect.any(Object),
      });
    }
    // Every mutating step was approved by someone other than the initiator, bound to a plan hash.
    const mutating = summary.steps.filter((s) => s.approvals.length > 0);
    expect(mutating.map((s) => s.id)).toEqual(
      expect.arrayContaining(['disable-workflows', 'rotate-access-keys', 'notify-counsel-insurer']),
    );
    for (const s of mutating) {
      for (const a of s.approvals) {
        expect(a.approver).not.toBe('drill-initiator');
        expect(a.planHash).toMatch(/^[0-9a-f]{64}$/);
      }
    }
    expect(summary.steps.find((s) => s.id === 'rotate-access-keys')!.approvals).toHaveLength(2);
    // The identify phase found exactly the seeded exposure.
    const { truth } = generateOrg({ name: 'acme-drill', repos: 24, exposedRepos: 3, seed: 7 });
    const identify = summary.steps.find((s) => s.id === 'identify-installs')!.effects;
    expect(identify.exposedRepos).toEqual(truth.exposedRepos.map((r) => `acme-drill/${r}`));
    expect(summary.sandbox.openApiValidationFailures).toBe(0);
    // Rotate and revoke acted in the sandbox: keys through moto when installed (CI installs it), tokens on GitHub.
    const { aws, credentials } = JSON.parse(r.stdout) as {
      aws: { mode: string };
      credentials: Record<string, number>;
    };
    if (aws.mode === 'moto') {
      expect(credentials.keysRotated).toBeGreaterThan(0);
      expect(credentials.oldKeysDeleted).toBe(credentials.keysRotated);
      expect(credentials.sessionsRevoked).toBeGreaterThan(0);
    }
    expect(credentials.tokensRevoked).toBe(3);
    expect(credentials.itemsForHumans).toBeGreaterThan(0);
    // The audit bundle exists and its manifest covers the history.
    const manifest = JSON.parse(readFileSync(path.join(ROOT, summary.auditBundle, 'manifest.json'), 'utf8')) as {
      files: Record<string, string>;
    };
    expect(Object.keys(manifest.files)).toEqual(expect.arrayContaining([...BUNDLE_FILES]));
    expect(existsSync(path.join(ROOT, summary.auditBundle, 'history.json'))).toBe(true);
    // The drill verified its own bundle: manifest, replay against this code, approvals ledger.
    expect(summary.auditVerify).toEqual({
      ok: true,
      checks: { manifest: 'ok', signature: 'ok', replay: 'deterministic', ledger: 'ok', derivedFiles: 'ok' },
      counted: expect.objectContaining({ votes: expect.any(Number) }),
      violations: [],
    });
    // The bundle verifies again after the demo, with the command it gives: the run's codec key was kept beside the
    // bundle, owner-only, in the shape CORDON_CODEC_KEYS takes.
    const { encryption, verifyCommand } = JSON.parse(r.stdout) as {
      encryption: { keyId: string; keysFile: string };
      verifyCommand: string;
    };
    expect(path.dirname(encryption.keysFile)).toBe(path.dirname(summary.auditBundle));
    expect(path.basename(encryption.keysFile)).toBe('demo.keys');
    expect(statSync(path.join(ROOT, encryption.keysFile)).mode & 0o777).toBe(0o600);
    expect(Object.keys(JSON.parse(readFileSync(path.join(ROOT, encryption.keysFile), 'utf8')) as object)).toEqual([
      encryption.keyId,
    ]);
    expect(verifyCommand).toMatch(/^CORDON_CODEC_KEYS=.* cordon audit verify \S+ --trusted-keys \S+$/);
    const again = spawnSync('sh', ['-c', verifyCommand], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      // `cordon` as the package's bin would put it on PATH; nothing of the demo's environment is passed.
      env: { PATH: `${path.join(ROOT, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`, HOME: process.env.HOME },
    });
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/^OK incident-acme-drill-mastra-core-/);
    expect(again.status).toBe(0);
    // The notify phase: counsel and insurer packets, stored as sent (the digest is of the approved Markdown),
    // delivered to the sandbox SMTP server, and the notice deadlines the incident started.
    expect(summary.notify.packets.map((p) => p.recipient)).toEqual(['counsel', 'insurer']);
    for (const p of summary.notify.packets) {
      const markdown = readFileSync(path.join(ROOT, p.markdown), 'utf8');
      expect(createHash('sha256').update(markdown).digest('hex')).toBe(p.sha256);
      expect(markdown).toContain(summary.incidentId);
      expect(readFileSync(path.join(ROOT, p.html), 'utf8')).toMatch(/^<!doctype html>/);
    }
    expect(summary.notify.delivered.map((d) => d.to[0]).sort()).toEqual([
      'claims@insurer.example',
      'counsel@example.com',
    ]);
    const deadlines = Object.fromEntries(summary.notify.obligations.map((o) => [o.id, o]));
    expect(deadlines['counsel-engaged']).toMatchObject({ who: 'counsel', state: 'open' });
    expect(deadlines['insurer-notice']).toMatchObject({ who: 'insurer', state: 'open' });
    expect(Date.parse(deadlines['insurer-notice']!.deadline)).toBeGreaterThan(Date.now());
  });
});
