import { AsyncLocalStorage } from 'node:async_hooks';
import type { Octokit } from '@octokit/core';

/** GitHub API requests made, keyed by `owner/repo` (or `org:<org>` for organisation-level calls). */
export type ApiCallTally = Record<string, number>;

interface Scope {
  tally: Map<string, number>;
  key: string | undefined;
}

type RequestOptions = Record<string, unknown>;

const storage = new AsyncLocalStorage<Scope>();
/**
 * The scope each request was issued under. Bottleneck (inside the throttling plugin) runs queued requests from
 * other async contexts, so the outermost hook captures the caller's scope here, keyed by the options object that
 * travels unchanged down to the innermost hook, which counts each HTTP attempt (retries included).
 */
const scopes = new WeakMap<object, Scope>();

/**
 * Octokit plugin counting every HTTP attempt against the scope of `countApiCalls`/`attributeApiCalls`. List it
 * first in `Octokit.plugin(...)` so its hook sits inside throttling and retry, then call `captureApiCallScope`.
 */
export function apiCallCounting(octokit: Octokit): void {
  octokit.hook.wrap('request', async (request, options) => {
    const scope = scopes.get(options);
    if (scope) {
      const key = scope.key ?? keyFromOptions(options as unknown as RequestOptions);
      scope.tally.set(key, (scope.tally.get(key) ?? 0) + 1);
    }
    return request(options);
  });
}

/** Registers the outermost hook that records the caller's scope; call once after constructing the client. */
export function captureApiCallScope(octokit: Octokit): void {
  octokit.hook.wrap('request', async (request, options) => {
    const scope = storage.getStore();
    if (scope) scopes.set(options, scope);
    return request(options);
  });
}

/** Runs `fn` and returns what it returned with the API calls made on its behalf, per repository. */
export async function countApiCalls<T>(fn: () => Promise<T>): Promise<{ result: T; apiCalls: ApiCallTally }> {
  const scope: Scope = { tally: new Map(), key: undefined };
  const result = await storage.run(scope, fn);
  return { result, apiCalls: Object.fromEntries([...scope.tally].sort(([a], [b]) => a.localeCompare(b))) };
}

/**
 * Attributes the calls `fn` makes to `key` (`owner/repo`, `org:<org>`). Needed where the URL does not say: the
 * pages after the first follow `link` URLs that name repositories by id.
 */
export function attributeApiCalls<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const current = storage.getStore();
  return current ? storage.run({ tally: current.tally, key }, fn) : fn();
}

function keyFromOptions(options: RequestOptions): string {
  if (typeof options.owner === 'string' && typeof options.repo === 'string') return `${options.owner}/${options.repo}`;
  if (typeof options.org === 'string') return `org:${options.org}`;
  return 'other';
}

/** Sums tallies (for batch results and benchmarks). */
export function mergeApiCalls(...tallies: ApiCallTally[]): ApiCallTally {
  const out: ApiCallTally = {};
  for (const t of tallies) for (const [k, v] of Object.entries(t)) out[k] = (out[k] ?? 0) + v;
  return out;
}
