import { createHash, randomUUID } from 'node:crypto';
import { ListUserTagsCommand, TagUserCommand, UntagUserCommand, type IAMClient } from '@aws-sdk/client-iam';
import { currentActivity } from '../heartbeat';
import { iamCall } from './errors';

/** The IAM user tag holding the lease: `<holder> <expires, ms since the epoch>`. */
export const LEASE_TAG = 'cordon:lease';

/** Timing of a lease. */
export interface LeaseOptions {
  /**
   * How long a lease lives unless renewed. Equal to the apply heartbeat timeout: when the server gives up on a killed
   * worker's attempt, that attempt's lease, last renewed with its last heartbeat, has run out too.
   * @default 20_000
   */
  ttlMs?: number;
  /**
   * How long to wait after writing the tag before reading it back. IAM has no conditional write: two attempts that
   * write at once both see the last writer's value after this, so only one proceeds.
   * @default 1_000
   */
  settleMs?: number;
  /** How often a waiting attempt looks whether the lease is free. @default 1_000 */
  pollMs?: number;
  /** How often the holder renews the lease. @default a quarter of `ttlMs` */
  renewMs?: number;
}

/**
 * Another attempt took the lease while this one stalled (it stopped renewing, so the server has most likely given
 * it up already). A plain error: Temporal's retry policy retries it like any transient failure.
 */
export class LeaseLostError extends Error {
  constructor(user: string) {
    super(`another attempt holds the lease on IAM user ${user}; this one stops before changing it`);
    this.name = 'LeaseLostError';
  }
}

/** Checks, before each change, that this attempt still holds the lease and was not cancelled. */
export type LeaseCheck = () => Promise<void>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `work` holding a lease on one IAM user, so two attempts of a rotation never change the same user at once: a
 * retry that starts while the timed-out attempt still runs (GitHub answering slowly) waits until that attempt gives
 * the lease back or stops renewing it. The lease lives on the user itself, in IAM, because that is what both
 * attempts share whichever worker runs them, and it outlives a crash by at most its TTL (a lock in a worker's state
 * directory would be invisible to the other workers; a Temporal-side mutex would need the workflow rewritten).
 * `work` calls `check()` before each change: it throws when the attempt was cancelled or another took the lease.
 */
export async function withUserLease<T>(
  iam: IAMClient,
  user: string,
  signal: AbortSignal | undefined,
  work: (check: LeaseCheck) => Promise<T>,
  options: LeaseOptions = {},
): Promise<T> {
  const ttlMs = options.ttlMs ?? 20_000;
  const settleMs = options.settleMs ?? 1_000;
  const pollMs = options.pollMs ?? 1_000;
  const renewMs = options.renewMs ?? Math.max(100, Math.floor(ttlMs / 4));
  const holder = holderId();
  const read = async (): Promise<{ holder: string; expires: number } | undefined> => {
    const r = await iamCall(`list tags of ${user}`, () => iam.send(new ListUserTagsCommand({ UserName: user })));
    const [who, expires] = (r.Tags?.find((t) => t.Key === LEASE_TAG)?.Value ?? '').split(' ');
    return who && expires ? { holder: who, expires: Number(expires) } : undefined;
  };
  const write = () =>
    iamCall(`lease user ${user}`, () =>
      iam.send(
        new TagUserCommand({ UserName: user, Tags: [{ Key: LEASE_TAG, Value: `${holder} ${Date.now() + ttlMs}` }] }),
      ),
    );

  // Gives the lease back if it is still ours. If that fails the lease expires on its own.
  const release = async (): Promise<void> => {
    if ((await read())?.holder === holder) {
      await iamCall(`release lease on ${user}`, () =>
        iam.send(new UntagUserCommand({ UserName: user, TagKeys: [LEASE_TAG] })),
      );
    }
  };

  try {
    for (;;) {
      signal?.throwIfAborted();
      const lease = await read();
      if (lease && lease.holder !== holder && lease.expires > Date.now()) {
        await sleep(pollMs);
        continue;
      }
      await write();
      await sleep(settleMs);
      if ((await read())?.holder === holder) break;
    }
  } catch (err) {
    await release().catch(() => undefined);
    throw err;
  }

  let lost = false;
  let renewing: Promise<unknown> = Promise.resolve();
  const renew = setInterval(() => {
    // Renewal only extends a lease still ours: one taken over after a stall is lost for good.
    renewing = read()
      .then((l) => (l?.holder === holder ? write() : ((lost = true), undefined)))
      .catch(() => undefined);
  }, renewMs);
  // A renewal still in flight would write the lease back after its release.
  const stopRenewing = async (): Promise<void> => {
    clearInterval(renew);
    await renewing;
  };
  const check: LeaseCheck = async () => {
    signal?.throwIfAborted();
    if (lost || (await read())?.holder !== holder) {
      lost = true;
      throw new LeaseLostError(user);
    }
  };
  let result: T;
  try {
    result = await work(check);
  } catch (err) {
    await stopRenewing();
    // The work's own failure is what the retry needs to hear about, not a failed release.
    if (!lost) await release().catch(() => undefined);
    throw err;
  }
  await stopRenewing();
  // After the work succeeded a failed release fails the attempt: its retry finds the work done and releases.
  if (!lost) await release();
  return result;
}

/**
 * Who holds a lease: one activity attempt (its workflow, activity id and attempt), or a one-off id outside an
 * activity. Hashed, since tag values allow only a few punctuation marks.
 */
function holderId(): string {
  const info = currentActivity()?.info;
  const id = info
    ? `${info.workflowExecution?.workflowId ?? info.activityId}\n${info.activityId}\n${info.attempt}`
    : randomUUID();
  return createHash('sha256').update(id).digest('hex').slice(0, 24);
}
