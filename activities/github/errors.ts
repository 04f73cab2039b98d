import { ApplicationFailure } from '@temporalio/common';
import { FailureType } from '../../domain/failures';

/** Failure types GitHub activities throw; workflows and retry policies match on them. */
export const GitHubFailureType = {
  Unauthorized: FailureType.GitHubUnauthorized,
  Forbidden: FailureType.GitHubForbidden,
  NotFound: FailureType.GitHubNotFound,
  RateLimited: FailureType.GitHubRateLimited,
  Invalid: FailureType.GitHubInvalidRequest,
  Unavailable: FailureType.GitHubUnavailable,
} as const;

interface HttpErrorLike {
  status: number;
  message: string;
  response?: { headers?: Record<string, string | number | undefined> };
}

function isHttpError(err: unknown): err is HttpErrorLike {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/**
 * Turns an Octokit error into an `ApplicationFailure` whose retry decision is right: a bad token (401), a missing
 * organisation or repository (404), missing permissions (403) or an invalid request (422) will not get better,
 * so they are non-retryable; a rate limit that outlasted the client's in-process patience is retried by Temporal
 * after the reset GitHub announced (`nextRetryDelay`); 5xx and network errors are retried normally.
 */
export function toApplicationFailure(err: unknown, what: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  if (!isHttpError(err)) {
    return ApplicationFailure.create({
      type: GitHubFailureType.Unavailable,
      message: `${what}: ${String(err)}`,
      ...cause(err),
    });
  }
  const headers = err.response?.headers ?? {};
  const message = `${what}: GitHub answered ${err.status} ${err.message}`;
  const delay = rateLimitDelayMs(err.status, err.message, headers);
  if (delay !== undefined) {
    return ApplicationFailure.create({
      type: GitHubFailureType.RateLimited,
      message,
      nextRetryDelay: delay,
      ...cause(err),
    });
  }
  const nonRetryable = (type: string) =>
    ApplicationFailure.create({ type, message, nonRetryable: true, ...cause(err) });
  if (err.status === 401) return nonRetryable(GitHubFailureType.Unauthorized);
  if (err.status === 403) return nonRetryable(GitHubFailureType.Forbidden);
  if (err.status === 404) return nonRetryable(GitHubFailureType.NotFound);
  if (err.status === 400 || err.status === 422) return nonRetryable(GitHubFailureType.Invalid);
  return ApplicationFailure.create({ type: GitHubFailureType.Unavailable, message, ...cause(err) });
}

/** The wait GitHub asked for on a rate-limited answer, or undefined when the answer is not a rate limit. */
function rateLimitDelayMs(
  status: number,
  message: string,
  headers: Record<string, string | number | undefined>,
): number | undefined {
  if (status !== 403 && status !== 429) return undefined;
  const retryAfter = Number(headers['retry-after']);
  if (/secondary rate limit/i.test(message) || Number.isFinite(retryAfter)) {
    return (Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : 60) * 1000;
  }
  if (String(headers['x-ratelimit-remaining']) === '0') {
    const reset = Number(headers['x-ratelimit-reset']) * 1000;
    return Math.max(1000, reset - Date.now() + 1000);
  }
  return undefined;
}

function cause(err: unknown): { cause?: Error } {
  return err instanceof Error ? { cause: err } : {};
}

/** Whether an error is GitHub answering `status`. */
export function hasStatus(err: unknown, ...status: number[]): boolean {
  return isHttpError(err) && status.includes(err.status);
}
