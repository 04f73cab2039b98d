import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import type { ActionHandler } from '../../../activities/registry';
import { createGitHubClient } from '../../../activities/github';
import { readAwsConfig } from '../../../config/aws';
import { configuredAwsActivities } from '../../../worker/aws-handlers';
import { loadConfig } from '../../../config/config';

describe('AWS configuration', () => {
  it('is absent without AWS_ENDPOINT_URL or CORDON_AWS_INVENTORY, even with a region', () => {
    expect(readAwsConfig({ AWS_REGION: 'eu-west-1' }, '/')).toBeUndefined();
  });

  it('reads the endpoint, region, static credentials and an inline JSON inventory', () => {
    const c = loadConfig({
      CORDON_STATE_DIR: '/tmp/cordon-aws-config',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'example',
      CORDON_AWS_INVENTORY: '{"secrets":{"AWS_ACCESS_KEY_ID":{"user":"ci"}}}',
    });
    expect(c.aws).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'example' },
      inventory: { secrets: { AWS_ACCESS_KEY_ID: { user: 'ci', human: false } } },
    });
  });

  it('reads an inventory file (YAML) relative to the working directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cordon-inventory-'));
    writeFileSync(path.join(dir, 'inventory.yaml'), 'secrets:\n  acme/web:DEPLOY_ROLE_ARN: { role: deployer }\n');
    expect(readAwsConfig({ CORDON_AWS_INVENTORY: 'inventory.yaml' }, dir)?.inventory).toEqual({
      secrets: { 'acme/web:DEPLOY_ROLE_ARN': { role: 'deployer', human: false } },
    });
  });

  it('refuses an entry naming both a user and a role with one error naming the variable and the field', () => {
    expect(() => readAwsConfig({ CORDON_AWS_INVENTORY: '{"secrets":{"X":{"user":"a","role":"b"}}}' }, '/')).toThrow(
      /^configuration: CORDON_AWS_INVENTORY: inline JSON: secrets\.X: expected exactly one of "user" or "role"$/,
    );
  });

  it('refuses half a key pair', () => {
    expect(() => readAwsConfig({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1', AWS_ACCESS_KEY_ID: 'AKIA' }, '/')).toThrow(
      /AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/,
    );
  });
});

describe('configuredAwsActivities', () => {
  const planOf = (h: ReturnType<typeof configuredAwsActivities>, name: string) =>
    (h[name] as unknown as ActionHandler).plan!({}, { incidentId: 'i', stepId: 's', idempotencyKey: 'k', drill: true });

  it('fails AWS_NOT_CONFIGURED at once, non-retryable, when AWS is not configured', async () => {
    const err = await planOf(configuredAwsActivities(undefined, undefined), 'aws.rotateAccessKeys').catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'AWS_NOT_CONFIGURED', nonRetryable: true });
  });

  it('fails GITHUB_NOT_CONFIGURED when keys could not be written to GitHub', async () => {
    const aws = { region: 'us-east-1', inventory: { secrets: {} } };
    await expect(planOf(configuredAwsActivities(aws, undefined), 'aws.revokeRoleSessions')).rejects.toMatchObject({
      type: 'GITHUB_NOT_CONFIGURED',
    });
    const octokit = createGitHubClient({ token: 'ghp_x', baseUrl: 'http://127.0.0.1:9' });
    expect(Object.keys(configuredAwsActivities(aws, octokit)).sort()).toEqual([
      'aws.deleteOldAccessKeys',
      'aws.reactivateAccessKeys',
      'aws.restoreRoleSessions',
      'aws.revokeRoleSessions',
      'aws.rotateAccessKeys',
    ]);
  });
});
