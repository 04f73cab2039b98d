import { ApplicationFailure } from '@temporalio/common';
import { createGitHubActivities, createGitHubClient, GitHubFailureType } from '../../../../activities/github';
import { generateOrg, startGitHubSandbox, type GitHubSandbox } from '../../../../sandbox/github';
import { exposedFiles, mastraAdvisory, recordingLogger, total } from './fixtures';

const TOKEN = 'ghs_rate_limits';
const { spec, truth } = generateOrg({ repos: 60, seed: 7 });
const advisory = mastraAdvisory();

let sandbox: GitHubSandbox;

beforeEach(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
});

afterEach(async () => {
  expect(sandbox.validationFailures).toEqual([]);
  await sandbox.stop();
});

describe('GitHub rate limits', () => {
  it('completes identify through injected primary and secondary limits, waiting as the headers say', async () => {
    // Primary: quota spent once, reset ~1 s ahead (x-ratelimit-reset). Secondary: retry-after 1 s, twice.
    // https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
    const primary = sandbox.injectRateLimit({
      kind: 'primary',
      match: 'git/get-tree',
      every: 25,
      count: 1,
      resetAfterMs: 1000,
    });
    const secondary = sandbox.injectRateLimit({
      kind: 'secondary',
      match: 'git/get-blob',
      every: 3,
      count: 2,
      retryAfterSeconds: 1,
    });
    const logger = recordingLogger();
    const activities = createGitHubActivities({
      octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url, logger }),
    });

    const { repos } = await activities.githubListOrgRepos({ org: 'acme' });
    const { scans, apiCalls } = await activities.githubScanLockfilesBatch({
      scans: repos.map((r) => ({ owner: r.owner, repo: r.name, ref: r.defaultBranch, packages: advisory.packages })),
    });

    expect(primary.triggered).toBe(1);
    expect(secondary.triggered).toBe(2);
    expect(exposedFiles(scans, advisory.bad)).toEqual(truth.exposed.map((e) => `${e.repo}/${e.path}`).sort());
    const refused = sandbox.requests.filter((r) => r.status === 403);
    // The primary limit refuses every request in flight until the reset; each is retried once it passes.
    expect(refused.length).toBeGreaterThanOrEqual(3);
    expect(logger.warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining(['GitHub primary rate limit', 'GitHub secondary rate limit']),
    );
    expect(logger.warnings.every((w) => w.meta?.retrying === true)).toBe(true);
    // Retries are API calls too: the tally counts every attempt the sandbox saw for these repositories.
    const scanRequests = sandbox.requests.filter((r) => r.operationId !== 'repos/list-for-org');
    expect(total(apiCalls)).toBe(scanRequests.length);
  });

  it('hands a long primary wait to Temporal: a retryable failure whose nextRetryDelay is the reset', async () => {
    sandbox.injectRateLimit({ kind: 'primary', resetAfterMs: 45_000 });
    const activities = createGitHubActivities({
      octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url, maxInProcessWaitSeconds: 5 }),
    });
    const failure = await activities.githubListOrgRepos({ org: 'acme' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    const f = failure as ApplicationFailure;
    expect(f.type).toBe(GitHubFailureType.RateLimited);
    expect(f.nonRetryable).toBeFalsy();
    expect(Number(f.nextRetryDelay)).toBeGreaterThan(40_000);
    expect(Number(f.nextRetryDelay)).toBeLessThanOrEqual(47_000);
  });

  it('gives up after the configured number of rate-limit retries', async () => {
    const rule = sandbox.injectRateLimit({ kind: 'secondary', every: 1, count: 10, retryAfterSeconds: 1 });
    const activities = createGitHubActivities({
      octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url, rateLimitRetries: 2 }),
    });
    const failure = (await activities
      .githubListOrgRepos({ org: 'acme' })
      .catch((e: unknown) => e)) as ApplicationFailure;
    expect(failure.type).toBe(GitHubFailureType.RateLimited);
    expect(rule.triggered).toBe(3);
  });
});
