import { Octokit } from '@octokit/core';
import { paginateRest } from '@octokit/plugin-paginate-rest';
import { restEndpointMethods } from '@octokit/plugin-rest-endpoint-methods';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import type { Logger } from '@temporalio/common';
import { apiCallCounting, captureApiCallScope } from './api-calls';

/** Options of `createGitHubClient`. */
export interface GitHubClientOptions {
  /** A token sent as `Authorization: token …` (PAT, GitHub App installation token). */
  token: string;
  /** API root; the sandbox's `url` in drills and tests. @default 'https://api.github.com' */
  baseUrl?: string;
  /** Where throttling decisions are logged. @default silent */
  logger?: Logger;
  /** Retries of one request after a primary or secondary rate limit. @default 4 */
  rateLimitRetries?: number;
  /**
   * Longest rate-limit wait sat out inside the activity. A longer one (a primary limit resetting in 40 minutes)
   * fails the call so Temporal schedules the retry instead of a worker slot sleeping. @default 120
   */
  maxInProcessWaitSeconds?: number;
  /** Retries of 5xx answers and network errors. @default 3 */
  serverErrorRetries?: number;
  /** @default 'cordon' */
  userAgent?: string;
}

/** Octokit with throttling, retry, pagination, REST methods, and per-repository API-call counting. */
export const CordonOctokit = Octokit.plugin(apiCallCounting, throttling, retry, paginateRest, restEndpointMethods);
/** The client cordon's GitHub activities take. */
export type GitHubClient = InstanceType<typeof CordonOctokit>;

const silent: Logger = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

/**
 * Builds the GitHub client. Rate limits are honoured from GitHub's headers: a primary limit waits until
 * `x-ratelimit-reset`, a secondary one for `retry-after` (https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit),
 * each at most `rateLimitRetries` times and only while the wait fits `maxInProcessWaitSeconds`.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  if (!options.token) throw new Error('createGitHubClient: token is required (a PAT or an installation token)');
  const baseUrl = options.baseUrl ?? 'https://api.github.com';
  if (!/^https?:\/\/[^/]+/.test(baseUrl))
    throw new Error(`createGitHubClient: baseUrl must be an http(s) URL, got "${baseUrl}"`);
  const log = options.logger ?? silent;
  const maxRetries = options.rateLimitRetries ?? 4;
  const maxWait = options.maxInProcessWaitSeconds ?? 120;
  const decide =
    (kind: 'primary' | 'secondary') =>
    (retryAfter: number, req: { method: string; url: string }, _octokit: unknown, retryCount: number): boolean => {
      const retrying = retryCount < maxRetries && retryAfter <= maxWait;
      log.warn(`GitHub ${kind} rate limit`, { method: req.method, url: req.url, retryAfter, retryCount, retrying });
      return retrying;
    };
  const octokit = new CordonOctokit({
    auth: options.token,
    baseUrl: baseUrl.replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'cordon',
    throttle: { onRateLimit: decide('primary'), onSecondaryRateLimit: decide('secondary') },
    // plugin-retry retries every status it is not told to skip; 409 (an empty repository, a finished run) is an
    // answer about state that a retry cannot change.
    retry: { retries: options.serverErrorRetries ?? 3, doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451] },
    log: {
      debug: (m: string) => log.debug(m),
      info: (m: string) => log.info(m),
      warn: (m: string) => log.warn(m),
      error: (m: string) => log.error(m),
    },
  });
  captureApiCallScope(octokit);
  return octokit;
}
