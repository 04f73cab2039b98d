import { ApplicationFailure, type Logger } from '@temporalio/common';
import { attributeApiCalls, countApiCalls, type ApiCallTally } from './api-calls';
import type { GitHubClient } from './client';
import { mapLimit } from './concurrency';
import { GitHubFailureType, toApplicationFailure } from './errors';
import { listOrgRepos } from './list-repos';
import { listOrgRunners, listRepoRunners } from './list-runners';
import { listRunJobs, listRunsInWindow } from './list-runs';
import { listOrgSecrets, listRepoSecretNames } from './list-secret-names';
import { fetchSbomPackages } from './sbom';
import { scanRepoLockfiles, type ScanRepoLockfilesInput } from './scan-repo-lockfiles';
import type {
  OrgSecretRef,
  RepoLockfileScan,
  RepoRef,
  RepoSecretNames,
  RunnerRef,
  SbomPackage,
  WorkflowRunRef,
} from './types';

/** What the GitHub activities need: a client from `createGitHubClient` (it counts API calls) and a logger. */
export interface GitHubActivityDeps {
  octokit: GitHubClient;
  logger?: Logger;
  /** Repositories worked on at once by the multi-repository activities. @default 8 */
  concurrency?: number;
}

/** A repository named by owner and name, with its visibility when known (saves a lookup). */
export interface RepoName {
  owner: string;
  name: string;
  visibility?: RepoRef['visibility'];
}

/**
 * The identify-installs activities for GitHub. All are read-only, hence idempotent; results are plain JSON (they
 * go into Temporal history) and carry secret *names* only. Each reports the API calls it made per repository.
 * Errors become `ApplicationFailure`s: non-retryable for a bad token, a missing org/repo or missing permission;
 * retryable after GitHub's announced reset for rate limits.
 */
export function createGitHubActivities(deps: GitHubActivityDeps) {
  const { octokit, logger } = deps;
  const concurrency = deps.concurrency ?? 8;

  async function run<T>(what: string, fn: () => Promise<T>): Promise<T & { apiCalls: ApiCallTally }> {
    try {
      const { result, apiCalls } = await countApiCalls(fn);
      return { ...result, apiCalls };
    } catch (err) {
      throw toApplicationFailure(err, what);
    }
  }

  return {
    /** Every repository of the organisation. */
    async githubListOrgRepos(input: {
      org: string;
    }): Promise<{ org: string; repos: RepoRef[]; apiCalls: ApiCallTally }> {
      return run(`list repositories of ${input.org}`, async () => ({
        org: input.org,
        repos: await attributeApiCalls(`org:${input.org}`, () => listOrgRepos(octokit, input.org)),
      }));
    },

    /** One repository's lockfiles (paths, blob SHAs, texts), reading as little as the advisory allows. */
    async githubScanLockfiles(input: ScanRepoLockfilesInput): Promise<RepoLockfileScan> {
      const key = `${input.owner}/${input.repo}`;
      return run(`scan lockfiles of ${key}`, () => attributeApiCalls(key, () => scanRepoLockfiles(octokit, input)));
    },

    /**
     * Several repositories' lockfile scans in one activity (fewer history events for big organisations). Keep
     * batches small enough for Temporal's payload limit: texts that mention no advisory package are not returned.
     */
    async githubScanLockfilesBatch(input: {
      scans: ScanRepoLockfilesInput[];
    }): Promise<{ scans: Array<Omit<RepoLockfileScan, 'apiCalls'>>; apiCalls: ApiCallTally }> {
      return run(`scan lockfiles of ${input.scans.length} repositories`, async () => ({
        scans: await mapLimit(input.scans, concurrency, (s) =>
          attributeApiCalls(`${s.owner}/${s.repo}`, () => scanRepoLockfiles(octokit, s)),
        ),
      }));
    },

    /** A repository's dependency-graph SBOM packages, or `available: false` when the graph is off. */
    async githubGetSbom(input: { owner: string; repo: string }): Promise<{
      repo: string;
      available: boolean;
      packages: SbomPackage[];
      apiCalls: ApiCallTally;
    }> {
      const key = `${input.owner}/${input.repo}`;
      return run(`export SBOM of ${key}`, async () => {
        const packages = await attributeApiCalls(key, () => fetchSbomPackages(octokit, input.owner, input.repo));
        return { repo: key, available: packages !== undefined, packages: packages ?? [] };
      });
    },

    /**
     * Actions runs created inside the exposure window `[since, until]` (ISO 8601), per repository; with `withJobs`,
     * each run's jobs and runners too (one more request per run).
     */
    async githubListRunsInWindow(input: {
      repos: RepoName[];
      since: string;
      until: string;
      withJobs?: boolean;
    }): Promise<{
      repos: Array<{ repo: string; runs: WorkflowRunRef[] }>;
      apiCalls: ApiCallTally;
    }> {
      const since = Date.parse(input.since);
      const until = Date.parse(input.until);
      if (Number.isNaN(since) || Number.isNaN(until) || since > until) {
        throw ApplicationFailure.create({
          type: GitHubFailureType.Invalid,
          message: `exposure window must be two ISO 8601 times, since <= until; got ${input.since} .. ${input.until}`,
          nonRetryable: true,
        });
      }
      return run(`list runs in ${input.since}..${input.until}`, async () => ({
        repos: await mapLimit(input.repos, concurrency, async (r) => {
          const key = `${r.owner}/${r.name}`;
          const where = { owner: r.owner, repo: r.name };
          const runs = await attributeApiCalls(key, async () => {
            const found = await listRunsInWindow(octokit, where, since, until, logger);
            if (!input.withJobs) return found;
            return mapLimit(found, 4, async (run) => ({ ...run, jobs: await listRunJobs(octokit, where, run.id) }));
          });
          return { repo: key, runs };
        }),
      }));
    },

    /** Self-hosted runners of the organisation and of the given repositories. */
    async githubListSelfHostedRunners(input: { org: string; repos: RepoName[] }): Promise<{
      runners: RunnerRef[];
      apiCalls: ApiCallTally;
    }> {
      return run(`list self-hosted runners of ${input.org}`, async () => {
        const org = await attributeApiCalls(`org:${input.org}`, () => listOrgRunners(octokit, input.org));
        const perRepo = await mapLimit(input.repos, concurrency, (r) =>
          attributeApiCalls(`${r.owner}/${r.name}`, () => listRepoRunners(octokit, r.owner, r.name)),
        );
        return { runners: [...org, ...perRepo.flat()] };
      });
    },

    /** Names of the Actions secrets the given repositories' runs could read: repository, environment, organisation. */
    async githubListSecretNames(input: { org: string; repos: RepoName[] }): Promise<{
      organization: OrgSecretRef[];
      repos: RepoSecretNames[];
      apiCalls: ApiCallTally;
    }> {
      return run(`list secret names in ${input.org}`, async () => {
        const organization = await attributeApiCalls(`org:${input.org}`, () => listOrgSecrets(octokit, input.org));
        const repos = await mapLimit(input.repos, concurrency, (r) =>
          attributeApiCalls(`${r.owner}/${r.name}`, () => listRepoSecretNames(octokit, r, organization)),
        );
        return { organization, repos };
      });
    },
  };
}

/** The activity functions `createGitHubActivities` returns. */
export type GitHubActivities = ReturnType<typeof createGitHubActivities>;
