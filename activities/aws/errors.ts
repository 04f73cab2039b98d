import { ApplicationFailure } from '@temporalio/common';
import { awsFailureType } from '../../domain/failures';

/** Error names an IAM call answers that no retry can change: the request or the caller's rights are wrong. */
const PERMANENT = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'UnrecognizedClientException',
  'ValidationError',
  'InvalidInput',
  'MalformedPolicyDocument',
]);

/** The error name the SDK gives an AWS error (`NoSuchEntity`, `LimitExceeded`, `Throttling`…). */
export function awsErrorName(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'name' in err ? String((err as { name: unknown }).name) : undefined;
}

/** Whether an IAM call failed because its subject does not exist. */
export function isNoSuchEntity(err: unknown): boolean {
  return awsErrorName(err) === 'NoSuchEntity' || awsErrorName(err) === 'NoSuchEntityException';
}

/**
 * Turns an IAM error into a Temporal failure naming what was being done: permission and validation errors are
 * non-retryable; throttling the SDK could not outlast, 5xx and network errors are left to Temporal's retry.
 * Only the AWS error name and message are kept: SDK errors carry the request, which never holds a secret here
 * but is noise in history.
 */
export function awsFailure(err: unknown, what: string): ApplicationFailure {
  if (err instanceof ApplicationFailure) return err;
  const name = awsErrorName(err) ?? 'Error';
  const message = err instanceof Error ? err.message : String(err);
  return ApplicationFailure.create({
    type: awsFailureType(name),
    message: `${what}: ${name}: ${message}`,
    nonRetryable: PERMANENT.has(name),
  });
}

/** Calls IAM and turns any error into a failure naming what was being done. */
export async function iamCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw awsFailure(err, what);
  }
}
