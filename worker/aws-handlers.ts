import { createAwsActivities, createIamClient } from '../activities/aws';
import type { GitHubClient } from '../activities/github';
import { createDrillActivities, type DrillLedger } from '../activities/drill';
import type { ActionHandlers } from '../activities/registry';
import { actionsOn, DEFAULT_ACTIONS } from '../domain/actions';
import type { AwsConfig } from '../config/aws';
import { notConfigured } from './not-configured';

/**
 * The AWS actions wired to IAM and, for rotated keys, GitHub. Without AWS configuration (or without GitHub, where
 * new keys go) they fail at once with a non-retryable error saying what to set, instead of retrying for hours.
 */
export function configuredAwsActivities(aws: AwsConfig | undefined, octokit: GitHubClient | undefined): ActionHandlers {
  if (!aws)
    return notConfigured(DEFAULT_ACTIONS, 'aws', {
      type: 'AWS_NOT_CONFIGURED',
      message:
        'AWS is not configured: set CORDON_AWS_INVENTORY (secret name → IAM user or role) and, for moto or another ' +
        'IAM endpoint, AWS_ENDPOINT_URL; credentials come from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the SDK chain',
    });
  if (!octokit)
    return notConfigured(DEFAULT_ACTIONS, 'aws', {
      type: 'GITHUB_NOT_CONFIGURED',
      message:
        'rotated AWS keys are written into GitHub Actions secrets: set GITHUB_TOKEN (and GITHUB_API_URL for the sandbox)',
    });
  const iam = createIamClient({
    region: aws.region,
    ...(aws.endpoint ? { endpoint: aws.endpoint } : {}),
    ...(aws.credentials ? { credentials: aws.credentials } : {}),
  });
  return createAwsActivities({ iam, octokit, inventory: aws.inventory });
}

/**
 * The AWS actions as drill handlers (plan and effects recorded in the drill ledger, nothing changed), for a drill
 * that has no IAM endpoint: the demo without moto installed.
 */
export function drillAwsActivities(ledger: DrillLedger): ActionHandlers {
  const catalog = Object.fromEntries(
    actionsOn(DEFAULT_ACTIONS, 'aws').map((name) => [
      name,
      { ...DEFAULT_ACTIONS[name]!, implementation: 'drill' as const },
    ]),
  );
  return createDrillActivities({ ledger, catalog });
}
