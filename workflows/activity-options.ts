/**
 * Heartbeat timeout of `apply` and `undo`: they heartbeat every third of it, so a worker killed mid-apply is noticed
 * after this and the attempt retried on another worker, instead of after the step's start-to-close timeout.
 */
export const APPLY_HEARTBEAT_TIMEOUT_MS = 20_000;

/** The heartbeat timeout for an activity `<action>:<mode>`: only the mutating modes heartbeat. */
export function heartbeatTimeoutFor(activity: string): { heartbeatTimeout: number } | Record<string, never> {
  return activity.endsWith(':apply') || activity.endsWith(':undo')
    ? { heartbeatTimeout: APPLY_HEARTBEAT_TIMEOUT_MS }
    : {};
}
