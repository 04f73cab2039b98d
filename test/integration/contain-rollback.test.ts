// The contain and roll-back phases end to end on the real Temporal server: the real worker process (worker/main.ts)
// against the sandbox GitHub, npm registry and package index, killed with SIGKILL in the middle of the pin pull
// request writes and restarted. Afterwards every exposed environment runs its last good SHA, exposed workflows are
// disabled, their artifacts and caches are gone, their releases are drafts, and each exposed repository (npm, pnpm,
// yarn, pip, Poetry or Cargo) has exactly one pin pull request.
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DEFAULT_ACTIONS } from '../../domain/actions';
import { parseOsvJson } from '../../domain/advisory';
import { generateOrg, startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github';
import { startNpmRegistrySandbox, type NpmRegistrySandbox } from '../../sandbox/npm-registry';
import { startPyPiSandbox, wheelSha256, type PyPiSandbox } from '../../sandbox/pypi';
import { startCratesRegistrySandbox, type CratesRegistrySandbox } from '../../sandbox/crates-registry';
import { statusQuery, voteUpdate } from '../../workflows/definitions';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, eventually, incidentInput, temporalAddress } from '../harness/engine';
import { readByCargo } from '../harness/cargo';
import { pipDownload } from '../harness/pip';
import { spawnWorker } from '../harness/spawn-worker';
import { signedVote, writeApproversFile } from '../harness/people';
import { playbookFixture } from '../harness/fixtures';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'ghs_contain_crash';

// The real playbook's identify, contain and roll-back steps, in a chain so the kill lands in the pin writes.
const PLAYBOOK = playbookFixture('contain-and-roll-back');

async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  // The real worker entrypoint; it logs (pino, JSON) to stderr.
  const w = await spawnWorker('worker/main.ts', env, {
    stream: 'stderr',
    ready: (line) => line.includes('cordon worker polling'),
  });
  return w.child;
}

// Octokit spaces GitHub writes a second apart, and about forty writes run here before the kill.
// Several package managers check the pins and the worker is killed mid-phase: minutes on a loaded 2-core machine.
jest.setTimeout(600_000);

describe('contain and roll back on the real Temporal server, with the worker killed mid-phase', () => {
  // Four repositories exposed through npm, pnpm or yarn lockfiles; one through a pip requirements file locking
  // num2words 0.5.15 (the real PyPI compromise, MAL-2025-6794), one through a poetry.lock locking 0.5.16; one through a Cargo.lock locking the sandbox's bad
  // quick-parse 0.4.2 and the dropper it added.
  const { spec, truth } = generateOrg({
    name: 'acme',
    repos: 18,
    exposedRepos: 4,
    seed: 5,
    otherExposures: [
      { format: 'requirements-txt', packages: [{ name: 'num2words', version: '0.5.15' }] },
      { format: 'poetry-lock', packages: [{ name: 'num2words', version: '0.5.16' }] },
      {
        format: 'cargo-lock',
        packages: [
          { name: 'quick-parse', version: '0.4.2', dependencies: { 'tiny-helper': '^1.0', 'proc-shim': '^0.1' } },
          { name: 'tiny-helper', version: '1.0.1' },
          { name: 'proc-shim', version: '0.1.0' },
        ],
      },
    ],
  });
  const children: ChildProcess[] = [];
  let github: GitHubSandbox;
  let registry: NpmRegistrySandbox;
  let pypi: PyPiSandbox;
  let crates: CratesRegistrySandbox;

  beforeAll(async () => {
    github = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
    registry = await startNpmRegistrySandbox();
    pypi = await startPyPiSandbox();
    crates = await startCratesRegistrySandbox();
  });
  afterAll(async () => {
    children.forEach((c) => c.kill('SIGKILL'));
    await github.stop();
    await registry.stop();
    await pypi.stop();
    await crates.stop();
  });

  it('leaves every exposed environment on its last good SHA and releases and package versions withdrawn and one pin pull request per exposed npm, pnpm, yarn, pip, Poetry or Cargo repo, with no duplicates', async () => {
    const env = {
      TEMPORAL_ADDRESS: temporalAddress(),
      CORDON_TASK_QUEUE: `contain-${randomUUID()}`,
      CORDON_APPROVER_GROUPS_FILE: writeApproversFile({ oncall: ['bob', 'alice'] }),
      CORDON_STATE_DIR: `/tmp/cordon-contain-${randomUUID()}`,
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: TOKEN,
      NPM_REGISTRY_URL: registry.url,
      PYPI_URL: pypi.url,
      CRATES_INDEX_URL: crates.indexUrl,
      CRATES_API_URL: crates.url,
      LOG_LEVEL: 'info',
    };
    const first = await startWorker(env);
    children.push(first);
    const conn = await Connection.connect({ address: env.TEMPORAL_ADDRESS });
    const client = new Client({ connection: conn });
    const packages = [
      ...['MAL-2026-6011.json', 'MAL-2026-5979.json'].map((f) => path.join(ROOT, 'sandbox/advisories', f)),
      path.join(ROOT, '../shared/data/osv/pypi/num2words/MAL-2025-6794.json'),
    ]
      .flatMap((f) => parseOsvJson(path.basename(f), readFileSync(f, 'utf8')).advisories.flatMap((a) => a.affected))
      // The sandbox's Cargo compromise: quick-parse 0.4.2 and its dropper (no OSV record: declared by hand).
      .concat([
        { ecosystem: 'crates.io', name: 'quick-parse', versions: ['0.4.2'], ranges: [] },
        { ecosystem: 'crates.io', name: 'proc-shim', versions: ['0.1.0'], ranges: [] },
      ]);
    let approving = true;
    try {
      const input = incidentInput(compileForTest(PLAYBOOK, DEFAULT_ACTIONS), {
        org: truth.org,
        since: truth.window.since,
        until: truth.window.until,
        packages,
        initiator: 'alice',
      });
      const h = await client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
        taskQueue: env.CORDON_TASK_QUEUE,
        workflowId: input.incidentId,
        args: [input],
      });
      // On-call (bob, not the initiator) approves each step as its request comes in.
      const onCall = (async () => {
        const voted = new Set<string>();
        while (approving) {
          const state = await h.query(statusQuery).catch(() => undefined);
          for (const s of state?.steps.filter((x) => x.status === 'awaiting-approval') ?? []) {
            const a = s.approvals.at(-1)!;
            const key = `${s.id}/${a.round}`;
            if (voted.has(key)) continue;
            voted.add(key);
            await h.executeUpdate(voteUpdate, {
              args: [
                await signedVote(h, {
                  stepId: s.id,
                  planHash: a.planHash,
                  approver: 'bob',
                  decision: 'approve',
                  channel: 'api',
                }),
              ],
            });
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      })();

      // Kill the worker as soon as the first pin file is written: the pull request is not open yet.
      await eventually(
        async () => github.requests.some((r) => r.operationId === 'repos/create-or-update-file-contents'),
        240_000,
        'the first pin file write',
      );
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const prsAtKill = truth.exposedRepos.flatMap((r) => [...github.state.repo(truth.org, r)!.pulls.values()]);
      expect(prsAtKill).toEqual([]);
      const second = await startWorker(env);
      children.push(second);

      const final = await h.result();
      approving = false;
      await onCall;
      expect(final.steps.map((s) => [s.id, s.status])).toEqual([
        ['list-repos', 'succeeded'],
        ['identify-installs', 'succeeded'],
        ['ci-exposure', 'succeeded'],
        ['disable-workflows', 'succeeded'],
        ['purge-run-artifacts', 'succeeded'],
        ['rollback-deployments', 'succeeded'],
        ['withdraw-releases', 'succeeded'],
        ['delete-package-versions', 'succeeded'],
        ['open-pin-prs', 'succeeded'],
      ]);
      expect(final.status).toBe('completed');

      const repo = (name: string) => github.state.repo(truth.org, name)!;
      // Every exposed environment points at its last good SHA, through exactly one new deployment.
      expect(Object.keys(truth.deployments).length).toBeGreaterThan(0);
      for (const [r, d] of Object.entries(truth.deployments)) {
        const list = [...repo(r).deployments.values()]
          .filter((x) => x.environment === d.environment)
          .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || b.id - a.id);
        expect(list[0]?.sha).toBe(d.goodSha);
        expect(list.filter((x) => x.sha === d.goodSha)).toHaveLength(2);
        expect(list.find((x) => x.sha === d.exposedSha)?.statuses.at(-1)?.state).toBe('inactive');
      }
      for (const r of truth.exposedRepos) {
        const s = repo(r);
        // The workflows that ran in the window are disabled; their runs' artifacts and caches are gone.
        const inWindow = new Set(truth.runsInWindow[r]);
        const ranInWindow = new Set([...s.runs.values()].filter((x) => inWindow.has(x.id)).map((x) => x.workflowId));
        for (const w of s.workflows.values()) expect(w.state !== 'active').toBe(ranInWindow.has(w.id));
        expect([...s.artifacts.values()].filter((a) => inWindow.has(a.runId))).toEqual([]);
        expect([...s.caches.keys()].filter((id) => (truth.exposedCaches[r] ?? []).includes(id))).toEqual([]);
        // Releases built from the exposed SHA are drafts again; the one from before the window is still published.
        const exposedReleases = new Set(truth.exposedReleases[r] ?? []);
        for (const rel of s.releases.values()) expect(rel.draft).toBe(exposedReleases.has(rel.id));
      }
      // What exposed repositories published to GitHub Packages after an exposed run is deleted; nothing else is.
      const exposedVersions = new Set(Object.values(truth.exposedPackageVersions).flat());
      expect(exposedVersions.size).toBeGreaterThan(0);
      for (const p of github.state.packages.values())
        for (const v of p.versions) expect(v.deletedAt !== null).toBe(exposedVersions.has(`${p.name}/${v.id}`));
      // Exactly one pin pull request per exposed repository, despite the kill mid-write.
      const pinnedAt = (r: string, file: string): string => {
        const prs = [...repo(r).pulls.values()];
        expect(prs).toHaveLength(1);
        const git = repo(r).git;
        return git.blob(git.lookup(git.resolveTree(prs[0]!.head)!, file)!.sha)!.toString('utf8');
      };
      const npmLocked = truth.exposed.filter((e) => ['package-lock', 'pnpm-lock', 'yarn-lock'].includes(e.format));
      expect(npmLocked.length).toBeGreaterThan(0);
      for (const lf of npmLocked) {
        const lock = pinnedAt(lf.repo, lf.path);
        expect(lock).not.toContain('1.42.1');
        expect(lock).not.toContain('easy-day-js');
      }
      // The pip requirements file now pins num2words' last good release, and pip installs from it.
      // The poetry.lock locks num2words' last good release, with its file and hash from the index.
      const poetryLocked = truth.exposed.filter((e) => e.format === 'poetry-lock');
      expect(poetryLocked).toHaveLength(1);
      const poetryLock = pinnedAt(poetryLocked[0]!.repo, poetryLocked[0]!.path);
      expect(poetryLock).toContain(`name = "num2words"\nversion = "0.5.14"\n`);
      expect(poetryLock).toContain(
        `{file = "num2words-0.5.14-py3-none-any.whl", hash = "sha256:${wheelSha256({ name: 'num2words', version: '0.5.14', requiresDist: ['docopt>=0.6.2'] })}"}`,
      );
      expect(poetryLock).not.toContain('0.5.16');
      const pipLocked = truth.exposed.filter((e) => e.format === 'requirements-txt');
      expect(pipLocked).toHaveLength(1);
      const requirements = pinnedAt(pipLocked[0]!.repo, pipLocked[0]!.path);
      expect(requirements).toMatch(/^num2words==0\.5\.14$/m);
      expect(requirements).not.toContain('0.5.15');
      const pip = await pipDownload(requirements, pypi.url);
      expect(pip.output).toContain('num2words-0.5.14-py3-none-any.whl');
      expect(pip.status).toBe(0);
      // The Cargo.lock pins quick-parse 0.4.1 without the dropper, Cargo.toml pins it with `=`, and cargo itself
      // accepts both, fetching every crate from the sandbox index and checking its checksum.
      const cargoLocked = truth.exposed.filter((e) => e.format === 'cargo-lock');
      expect(cargoLocked).toHaveLength(1);
      const cargoLock = pinnedAt(cargoLocked[0]!.repo, cargoLocked[0]!.path);
      const cargoToml = pinnedAt(cargoLocked[0]!.repo, cargoLocked[0]!.path.replace('Cargo.lock', 'Cargo.toml'));
      expect(cargoLock).toContain('name = "quick-parse"\nversion = "0.4.1"');
      expect(cargoLock).not.toContain('proc-shim');
      expect(cargoToml).toMatch(/^quick-parse = "=0\.4\.1"$/m);
      const cargo = await readByCargo({ 'Cargo.toml': cargoToml, 'Cargo.lock': cargoLock }, crates.indexUrl, [
        'fetch',
        '--locked',
      ]);
      expect(cargo.output).toContain('quick-parse v0.4.1');
      expect(cargo.status).toBe(0);
      const pin = final.steps.find((s) => s.id === 'open-pin-prs')!;
      expect(pin.effects).toMatchObject({
        opened: npmLocked.length + pipLocked.length + poetryLocked.length + cargoLocked.length,
      });
      expect(github.validationFailures).toEqual([]);
    } finally {
      approving = false;
      await conn.close();
    }
  });
});
