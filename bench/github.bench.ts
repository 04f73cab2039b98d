// Identify-installs against a 1,000-repository sandbox organisation: GitHub API calls per repository and wall time.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createGitHubActivities, createGitHubClient, type PackageRef } from '../activities/github';
import { generateOrg, startGitHubSandbox } from '../sandbox/github';

const REPOS = 1000;

function advisoryPackages(): PackageRef[] {
  const osv = path.resolve(__dirname, '../../shared/data/osv/npm');
  return ['@mastra/core/MAL-2026-6011.json', 'easy-day-js/MAL-2026-5979.json'].flatMap((f) =>
    (JSON.parse(readFileSync(path.join(osv, f), 'utf8')) as { affected: Array<{ package: PackageRef }> }).affected.map(
      (a) => a.package,
    ),
  );
}

function stats(values: number[]): { mean: number; p50: number; p95: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return { mean: Math.round(mean * 100) / 100, p50: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? 0 };
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const t0 = performance.now();
  const result = await fn();
  return [result, Math.round(performance.now() - t0)];
}

export default async () => {
  const { spec, truth } = generateOrg({ repos: REPOS, giantRepoFiles: 2000 });
  const [sandbox, startMs] = await timed(() =>
    // Response validation is for tests; the bench measures the client. 15,000/h is a GitHub App's enterprise quota.
    startGitHubSandbox({ org: spec, tokens: ['bench'], validateResponses: false, rateLimit: 15_000 }),
  );
  try {
    const activities = createGitHubActivities({
      octokit: createGitHubClient({ token: 'bench', baseUrl: sandbox.url }),
    });
    const packages = advisoryPackages();
    const [{ repos, apiCalls: listCalls }, listMs] = await timed(() => activities.githubListOrgRepos({ org: 'acme' }));
    const [scans, scanMs] = await timed(() =>
      Promise.all(
        repos.map((r) =>
          activities.githubScanLockfiles({ owner: r.owner, repo: r.name, ref: r.defaultBranch, packages }),
        ),
      ),
    );
    const exposed = repos.filter((r) =>
      scans.some((s) => s.repo === r.fullName && s.lockfiles.some((l) => /1\.42\.1|1\.11\.22/.test(l.text))),
    );
    const refs = exposed.map((r) => ({ owner: r.owner, name: r.name, visibility: r.visibility }));
    const [runs, runsMs] = await timed(() => activities.githubListRunsInWindow({ repos: refs, ...truth.window }));
    const [runners, runnersMs] = await timed(() =>
      activities.githubListSelfHostedRunners({ org: 'acme', repos: refs }),
    );
    const [secrets, secretsMs] = await timed(() => activities.githubListSecretNames({ org: 'acme', repos: refs }));
    const [fullScans, fullScanMs] = await timed(() =>
      Promise.all(
        repos.map((r) => activities.githubScanLockfiles({ owner: r.owner, repo: r.name, ref: r.defaultBranch })),
      ),
    );
    const perRepo = (list: Array<{ apiCalls: Record<string, number> }>) =>
      list.map((s) => Object.values(s.apiCalls).reduce((a, b) => a + b, 0));
    const scanCalls = perRepo(scans);
    const identifyCalls =
      Object.values(listCalls)[0]! +
      scanCalls.reduce((a, b) => a + b, 0) +
      [runs, runners, secrets].reduce((n, r) => n + Object.values(r.apiCalls).reduce((a, b) => a + b, 0), 0);
    return {
      repos: repos.length,
      exposedRepos: exposed.length,
      sandboxStartMs: startMs,
      identify: {
        wallMs: listMs + scanMs + runsMs + runnersMs + secretsMs,
        phasesMs: {
          listRepos: listMs,
          scanLockfiles: scanMs,
          runsInWindow: runsMs,
          runners: runnersMs,
          secretNames: secretsMs,
        },
        apiCalls: identifyCalls,
        apiCallsPerRepo: Math.round((identifyCalls / repos.length) * 100) / 100,
        scanCallsPerRepo: stats(scanCalls),
        lockfileTextsReturned: scans.reduce((n, s) => n + s.lockfiles.length, 0),
        runsFound: runs.repos.reduce((n, r) => n + r.runs.length, 0),
        runnersFound: runners.runners.length,
      },
      fullScanWithoutAdvisory: { wallMs: fullScanMs, scanCallsPerRepo: stats(perRepo(fullScans)) },
      sandboxRequests: sandbox.requests.length,
      validationFailures: sandbox.validationFailures.length,
    };
  } finally {
    await sandbox.stop();
  }
};
