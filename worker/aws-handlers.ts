import { ApplicationFailure } from '@temporalio/common';
import { createAwsActions, createIamClient } from '../activities/aws';
import type { GitHubClient } from '../activities/github';
import { drillActions, type DrillLedger } from '../activities/drill';
import type { ActionHandlers } from '../activities/registry';
import { DEFAULT_ACTIONS } from '../domain/actions';
import type { AwsConfig } from '../config/aws';
import { FailureType } from '../domain/failures';

const AWS_ACTIONS = [
  'aws.rotateAccessKeys',
  'aws.reactivateAccessKeys',
  'aws.deleteOldAccessKeys',
  'aws.revokeRoleSessions',
  'aws.restoreRoleSessions',
];

function notConfigured(type: string, message: string): ActionHandlers {
  const fail = async (): Promise<never> => {
    throw ApplicationFailure.create({ type, message, nonRetryable: true });
  };
  return Object.fromEntries(AWS_ACTIONS.map((a) => [a, { plan: fail, apply: fail, undo: fail }])) as ActionHandlers;
}

/**
 * The AWS actions wired to IAM and, for rotated keys, GitHub. Without AWS configuration (or without GitHub, where
 * new keys go) they fail at once with a non-retryable error saying what to set, instead of retrying for hours.
 */
export function awsHandlers(aws: AwsConfig | undefined, octokit: GitHubClient | undefined): ActionHandlers {
  if (!aws)
    return notConfigured(
      FailureType.AwsNotConfigured,
      'AWS is not configured: set CORDON_AWS_INVENTORY (secret name → IAM user or role) and, for moto or another ' +
        'IAM endpoint, AWS_ENDPOINT_URL; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the SDK chain',
    );
  if (!octokit)
    return notConfigured(
      FailureType.GitHubNotConfigured,
      'rotated AWS keys are written into GitHub Actions secrets: set GITHUB_TOKEN (and GITHUB_API_URL for the sandbox)',
    );
  const iam = createIamClient({
    region: aws.region,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
  });
  return createAwsActions({ iam, octokit, inventory: aws.inventory });
}

/**
 * The AWS actions as drill handlers (plan and effects recorded in the drill ledger, nothing changed), for a drill
 * that has no IAM endpoint: the demo without moto installed.
 */
export function awsDrillHandlers(ledger: DrillLedger): ActionHandlers {
  const asDrill = Object.fromEntries(
    Object.entries(DEFAULT_ACTIONS)
      .filter(([name]) => AWS_ACTIONS.includes(name))
      .map(([name, spec]) => [name, { ...spec, implementation: 'drill' as const }]),
  );
  return drillActions(ledger, asDrill);
}
