import { Context } from '@temporalio/activity';

/** How often a running apply or undo heartbeats when the activity has no heartbeat timeout to derive it from. */
const DEFAULT_HEARTBEAT_INTERVAL_MS = 5_000;

/** The running activity's context, or undefined when called outside one (unit tests, benchmarks, direct calls). */
export function currentActivity(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/**
 * Runs `work` while heartbeating in the background, so a worker that dies (SIGKILL, lost host) is noticed by the
 * server after the activity's heartbeat timeout and the attempt moves to another worker, rather than after its
 * start-to-close timeout. Heartbeating is also how an attempt hears that it was cancelled or timed out (a heartbeat
 * the server no longer accepts cancels it): `work` receives the attempt's AbortSignal for its loops, and the call
 * rejects with the cancellation as soon as it arrives even if `work` does not look. Outside an activity it just runs.
 */
export async function withHeartbeat<T>(work: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
  const activity = currentActivity();
  if (!activity) return work(undefined);
  // A third of the timeout: two heartbeats may be lost or throttled before the server gives up on this attempt.
  const timeout = activity.info.heartbeatTimeoutMs;
  const every = timeout ? Math.max(100, Math.floor(timeout / 3)) : DEFAULT_HEARTBEAT_INTERVAL_MS;
  activity.heartbeat();
  const timer = setInterval(() => activity.heartbeat(), every);
  try {
    return await Promise.race([work(activity.cancellationSignal), activity.cancelled]);
  } finally {
    clearInterval(timer);
  }
}
