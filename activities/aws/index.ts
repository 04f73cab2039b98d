import type { IAMClient } from '@aws-sdk/client-iam';
import type { GitHubClient } from '../github/client';
import type { ActionHandlers } from '../registry';
import { deleteOldAccessKeys } from './delete-old-access-keys';
import type { Inventory } from '../../config/aws-inventory';
import { restoreRoleSessions, revokeRoleSessions } from './role-sessions';
import { reactivateAccessKeys, rotateAccessKeys } from './rotate-access-keys';

export { createIamClient } from './client';
export type { IamClientOptions } from './client';
export { awsFailure, isNoSuchEntity } from './errors';
export { EMPTY_INVENTORY, InventorySchema, inferField, parseInventory } from '../../config/aws-inventory';
export type { Inventory, InventoryEntry, KeyField } from '../../config/aws-inventory';
export { HUMAN_TAG, SECRETS_TAG, locationId, mapSecrets, secretLocations } from './identities';
export type { IdentityMap, KeySecret, MappedRole, MappedUser, SecretLocation } from './identities';
export { writeActionsSecret } from './github-secrets';
export { keyFingerprint, reactivateAccessKeys, rotateAccessKeys, rotationTagKey } from './rotate-access-keys';
export type { PlannedKey, RotateInput, RotatedUser, RotationItem } from './rotate-access-keys';
export { deleteOldAccessKeys } from './delete-old-access-keys';
export type { DeleteOldKeysInput, OldKeyItem } from './delete-old-access-keys';
export { restoreRoleSessions, revocationPolicy, revocationPolicyName, revokeRoleSessions } from './role-sessions';
export type { RevokedRole, RevokeSessionsInput, RoleItem } from './role-sessions';

/** What the AWS actions need. */
export interface AwsActionDeps {
  iam: IAMClient;
  /** Where rotated keys are written (GitHub Actions secrets). */
  octokit: GitHubClient;
  inventory: Inventory;
}

/**
 * The real AWS actions, keyed by action name: `aws.rotateAccessKeys` (undo `aws.reactivateAccessKeys`),
 * `aws.deleteOldAccessKeys`, `aws.revokeRoleSessions` (undo `aws.restoreRoleSessions`).
 */
export function createAwsActions(deps: AwsActionDeps): ActionHandlers {
  return {
    'aws.rotateAccessKeys': rotateAccessKeys(deps),
    'aws.reactivateAccessKeys': reactivateAccessKeys(deps),
    'aws.deleteOldAccessKeys': deleteOldAccessKeys(deps),
    'aws.revokeRoleSessions': revokeRoleSessions(deps),
    'aws.restoreRoleSessions': restoreRoleSessions(deps),
  } as unknown as ActionHandlers;
}
