// The identify-installs phase of the real playbook over a 1,000-repo sandbox organisation on a real Temporal dev
// server: wall time, GitHub API calls per repo, and the incident's own history size (the fan-out keeps it small).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { parseOsvJson } from '../domain/advisory';
import { compilePlaybook, formatProblem } from '../domain/playbook';
import { generateOrg, startGitHubSandbox } from '../sandbox/github';
import { loadConfig } from '../config/config';
import { startLocalEngine } from '../drill/local-engine';
import { startDevServer } from '../devserver/dev-server';
import { defaultHandlers } from '../worker/handlers';
import { createLogger } from '../config/logger';
import type { IncidentInput } from '../workflows/definitions';

const ROOT = path.resolve(__dirname, '..');
const REPOS = Number(process.env.BENCH_ORG_REPOS ?? 1000);
const TOKEN = 'ghp_benchToken0000000000000000000000000';

export default async function identifyBench(): Promise<Record<string, unknown>> {
  const text = readFileSync(path.join(ROOT, 'playbooks/supply-chain-compromise.yaml'), 'utf8')
    .split('  # --- 3. contain')[0]!
    .replace(/^phases: .*$/m, 'phases: [declare, identify]');
  const compiled = compilePlaybook(text, 'identify-only.yaml');
  if (!compiled.ok) throw new Error(compiled.problems.map(formatProblem).join('\n'));
  const { spec, truth } = generateOrg({ name: 'bench', repos: REPOS, seed: 11 });
  const server = await startDevServer();
  const github = await startGitHubSandbox({ org: spec, tokens: [TOKEN], validateResponses: false });
  const config = loadConfig({
    TEMPORAL_ADDRESS: server.address,
    CORDON_TASK_QUEUE: `bench-${randomUUID()}`,
    GITHUB_API_URL: github.url,
    GITHUB_TOKEN: TOKEN,
    CORDON_STATE_DIR: '/tmp/cordon-bench',
  });
  const engine = await startLocalEngine({
    config,
    handlers: defaultHandlers(config, createLogger('silent')),
    logger: createLogger('silent'),
  });
  const { client } = engine;
  try {
    const packages = ['MAL-2026-6011.json', 'MAL-2026-5979.json'].flatMap((f) =>
      parseOsvJson(f, readFileSync(path.join(ROOT, 'sandbox/advisories', f), 'utf8')).advisories.flatMap(
        (a) => a.affected,
      ),
    );
    const input: IncidentInput = {
      incidentId: `incident-bench-${randomUUID().slice(0, 8)}`,
      title: 'bench',
      initiator: 'bench',
      severity: 'high',
      org: 'bench',
      since: truth.window.since,
      until: truth.window.until,
      packages,
      advisoryIds: [],
      playbook: compiled.playbook,
      playbookSha256: compiled.sha256,
      drill: true,
    };
    const t0 = performance.now();
    const h = await client.workflow.start('incidentWorkflow', {
      taskQueue: config.temporal.taskQueue,
      workflowId: input.incidentId,
      args: [input],
    });
    const state = (await h.result()) as {
      status: string;
      steps: { id: string; output?: { exposedRepos?: unknown[]; apiCalls?: Record<string, number> } }[];
    };
    const wallMs = performance.now() - t0;
    const events = (await h.fetchHistory()).events?.length ?? 0;
    const calls = state.steps.reduce(
      (n, s) => n + Object.values(s.output?.apiCalls ?? {}).reduce((a, b) => a + b, 0),
      0,
    );
    return {
      repos: REPOS,
      status: state.status,
      wallMs: Math.round(wallMs),
      exposedReposFound: state.steps.find((s) => s.id === 'identify-installs')?.output?.exposedRepos?.length ?? 0,
      exposedReposSeeded: truth.exposedRepos.length,
      githubApiCalls: calls,
      githubApiCallsPerRepo: Math.round((calls / REPOS) * 100) / 100,
      sandboxRequests: github.requests.length,
      incidentHistoryEvents: events,
      childWorkflows: Math.ceil(REPOS / 100),
      temporalHistoryLimitEvents: 51_200,
    };
  } finally {
    await engine.stop();
    await github.stop();
    await server.stop();
  }
}
