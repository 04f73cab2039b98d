import { ApplicationFailure } from '@temporalio/common';
import { hasStatus, toApplicationFailure } from '../errors';
import { FailureType } from '../../../domain/failures';

/** `owner/name` split into the parameters Octokit routes take. */
export interface RepoParams {
  owner: string;
  repo: string;
}

/** Splits `owner/name` (as `github.collectCiExposure` reports repositories); a malformed name is a playbook bug. */
export function repoParams(fullName: string): RepoParams {
  const [owner, repo, extra] = fullName.split('/');
  if (!owner || !repo || extra !== undefined) {
    throw ApplicationFailure.create({
      type: FailureType.BadTarget,
      message: `expected a repository as "owner/name", got "${fullName}"`,
      nonRetryable: true,
    });
  }
  return { owner, repo };
}

/** The step's `targets` input as a list: a playbook may pass one target, a list, or null (nothing exposed). */
export function targetList<T>(targets: T | T[] | null | undefined): T[] {
  if (targets === null || targets === undefined) return [];
  return Array.isArray(targets) ? targets : [targets];
}

/**
 * Runs a change whose 404 means its target is gone (deleted by a previous try of this apply, or since the plan): a
 * retried apply then succeeds without changing anything. Returns whether the change happened. Other errors become
 * Temporal failures with the right retry decision.
 */
export async function changeIfPresent(what: string, del: () => Promise<unknown>): Promise<boolean> {
  try {
    await del();
    return true;
  } catch (err) {
    if (hasStatus(err, 404, 410)) return false;
    throw toApplicationFailure(err, what);
  }
}

/** Reads something that may be gone (a deleted workflow or run): undefined on 404, any other error a failure. */
export async function getIfPresent<T>(what: string, get: () => Promise<T>): Promise<T | undefined> {
  try {
    return await get();
  } catch (err) {
    if (hasStatus(err, 404, 410)) return undefined;
    throw toApplicationFailure(err, what);
  }
}

/** Calls GitHub and turns any error into a Temporal failure naming what was being done. */
export async function call<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw toApplicationFailure(err, what);
  }
}

/** "3 workflows in 2 repos": the counts an approver reads first. */
export function countIn(n: number, noun: string, repos: Iterable<string>): string {
  const r = new Set(repos).size;
  return `${n} ${noun}${n === 1 ? '' : 's'} in ${r} repo${r === 1 ? '' : 's'}`;
}
