// The identify-installs phase on a real Temporal server against a sandbox org of 210 repos in mixed ecosystems,
// advisory = the real Mastra OSV records, with GitHub primary and secondary rate limits injected.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseOsvJson } from '../../domain/advisory';
import { DEFAULT_ACTIONS } from '../../domain/actions';
import { generateOrg, startGitHubSandbox, type GitHubSandbox } from '../../sandbox/github';
import { loadConfig } from '../../config/config';
import { defaultHandlers } from '../../worker/handlers';
import { createLogger } from '../../config/logger';
import type { incidentWorkflow } from '../../workflows/incident';
import { compileForTest, incidentInput, startEngine, temporalAddress, type TestEngine } from '../harness/engine';

const ROOT = path.resolve(__dirname, '../..');
const TOKEN = 'ghp_identifyTestToken000000000000000000';

const PLAYBOOK = readFileSync(path.join(ROOT, 'playbooks/supply-chain-compromise.yaml'), 'utf8')
  // Only the read-only identify phase: cut the playbook after ci-exposure.
  .split('  # --- 3. contain')[0]!
  .replace(
    'phases: [declare, identify, contain, rotate, revoke, rollback, notify, close]',
    'phases: [declare, identify]',
  );

describe('identify installs across an organisation', () => {
  let github: GitHubSandbox;
  let engine: TestEngine;
  const { spec, truth } = generateOrg({ name: 'acme', repos: 210, seed: 3 });

  beforeAll(async () => {
    github = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
    const config = loadConfig({
      TEMPORAL_ADDRESS: temporalAddress(),
      GITHUB_API_URL: github.url,
      GITHUB_TOKEN: TOKEN,
      CORDON_STATE_DIR: '/tmp/cordon-identify',
    });
    engine = await startEngine(defaultHandlers(config, createLogger('silent')), {});
  });
  afterAll(async () => {
    await engine?.stop();
    await github?.stop();
  });

  it('finds exactly the seeded lockfiles, runs, runners and secrets, through injected rate limits', async () => {
    const primary = github.injectRateLimit({ kind: 'primary', every: 97, resetAfterMs: 1000 });
    const secondary = github.injectRateLimit({ kind: 'secondary', every: 89, retryAfterSeconds: 1, status: 429 });
    const packages = ['@mastra/core/MAL-2026-6011.json', 'easy-day-js/MAL-2026-5979.json'].flatMap((f) =>
      parseOsvJson(f, readFileSync(path.join(ROOT, 'sandbox/advisories', path.basename(f)), 'utf8')).advisories.flatMap(
        (a) => a.affected,
      ),
    );
    const input = incidentInput(compileForTest(PLAYBOOK, DEFAULT_ACTIONS), {
      org: 'acme',
      since: truth.window.since,
      until: truth.window.until,
      packages,
    });
    const h = await engine.client.workflow.start<typeof incidentWorkflow>('incidentWorkflow', {
      taskQueue: engine.taskQueue,
      workflowId: input.incidentId,
      args: [input],
    });
    const final = await h.result();
    primary.remove();
    secondary.remove();
    expect(final.status).toBe('completed');
    expect(primary.triggered).toBeGreaterThan(0);
    expect(secondary.triggered).toBeGreaterThan(0);

    const byId = Object.fromEntries(final.steps.map((s) => [s.id, s.output as Record<string, unknown>]));
    const identify = byId['identify-installs']! as {
      exposedRepos: { name: string }[];
      findings: { repo: string; file: string; package: string; version: string }[];
      reposScanned: number;
      parseErrors: unknown[];
    };
    expect(identify.reposScanned).toBe(210);
    expect(identify.parseErrors).toEqual([]);
    expect(identify.exposedRepos.map((r) => r.name).sort()).toEqual([...truth.exposedRepos].sort());
    const found = new Set(
      identify.findings.map((f) => `acme/${f.repo.split('/')[1]}:${f.file}:${f.package}@${f.version}`),
    );
    const seeded = new Set(
      truth.exposed.flatMap((l) => l.packages.map((p) => `acme/${l.repo}:${l.path}:${p.name}@${p.version}`)),
    );
    expect(found).toEqual(seeded);

    const ci = byId['ci-exposure']! as {
      runs: { repo: string; id: number }[];
      secrets: { repo: string; scope: string; name: string }[];
      runners: { name: string }[];
    };
    const expectedRuns = truth.exposedRepos
      .flatMap((r) => (truth.runsInWindow[r] ?? []).map((id) => `acme/${r}#${id}`))
      .sort();
    expect(ci.runs.map((r) => `${r.repo}#${r.id}`).sort()).toEqual(expectedRuns);
    for (const r of truth.exposedRepos) {
      const t = truth.secretNames[r]!;
      const got = ci.secrets.filter((s) => s.repo === `acme/${r}`);
      expect(
        got
          .filter((s) => s.scope === 'repository')
          .map((s) => s.name)
          .sort(),
      ).toEqual([...t.repo].sort());
      expect(
        got
          .filter((s) => s.scope === 'organization')
          .map((s) => s.name)
          .sort(),
      ).toEqual([...t.org].sort());
    }
    const expectedRunners = [
      ...truth.selfHostedRunners.org,
      ...truth.exposedRepos.flatMap((r) => truth.selfHostedRunners.repos[r] ?? []),
    ]
      .map((x) => x.name)
      .sort();
    expect(ci.runners.map((x) => x.name).sort()).toEqual(expectedRunners);

    expect(github.validationFailures).toEqual([]);
    // 210 repos fan out into 3 child workflows: the incident's own history stays small.
    const events = (await h.fetchHistory()).events!.length;
    expect(events).toBeLessThan(150);
  });
});
