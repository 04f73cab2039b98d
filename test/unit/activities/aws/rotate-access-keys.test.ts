import {
  CreateAccessKeyCommand,
  CreateLoginProfileCommand,
  CreateRoleCommand,
  CreateUserCommand,
  GetLoginProfileCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  TagUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import {
  createAwsActions,
  createIamClient,
  keyFingerprint,
  parseInventory,
  SECRETS_TAG,
  type RotatedUser,
  type RotationItem,
} from '../../../../activities/aws';
import type { ReachableSecret } from '../../../../activities/github/exposure-actions';
import { createGitHubClient } from '../../../../activities/github';
import type { ActionHandler } from '../../../../activities/registry';
import type { ActionContext, ActionPlan } from '../../../../activities/types';
import { startGitHubSandbox, type GitHubSandbox, type OrgSpec } from '../../../../sandbox/github';
import { startThrottlingProxy, useMoto } from '../../../harness/moto';

const TOKEN = 'ghs_rotate';
const moto = useMoto();

// acme/web reads its own AWS key pair (user ci-web, by inventory), its production environment's pair (user
// web-prod, by IAM tag), an org role ARN (role deployer, by inventory) and an npm token nothing maps.
const spec: OrgSpec = {
  name: 'acme',
  repos: [
    {
      name: 'web',
      secrets: [
        { name: 'AWS_ACCESS_KEY_ID', value: 'old-id' },
        { name: 'AWS_SECRET_ACCESS_KEY', value: 'old-secret' },
        { name: 'NPM_TOKEN', value: 'npm_old' },
      ],
      environments: [
        {
          name: 'production',
          secrets: [
            { name: 'PROD_AWS_ACCESS_KEY_ID', value: 'old' },
            { name: 'PROD_AWS_SECRET_ACCESS_KEY', value: 'old' },
          ],
        },
      ],
    },
  ],
  secrets: [{ name: 'DEPLOY_ROLE_ARN', visibility: 'all', value: 'arn:aws:iam::123456789012:role/deployer' }],
};

const targets: ReachableSecret[] = [
  { repo: 'acme/web', scope: 'repository', name: 'AWS_ACCESS_KEY_ID' },
  { repo: 'acme/web', scope: 'repository', name: 'AWS_SECRET_ACCESS_KEY' },
  { repo: 'acme/web', scope: 'repository', name: 'NPM_TOKEN' },
  { repo: 'acme/web', scope: 'environment', environment: 'production', name: 'PROD_AWS_ACCESS_KEY_ID' },
  { repo: 'acme/web', scope: 'environment', environment: 'production', name: 'PROD_AWS_SECRET_ACCESS_KEY' },
  { repo: 'acme/web', scope: 'organization', name: 'DEPLOY_ROLE_ARN' },
];

const inventory = parseInventory(
  {
    secrets: {
      'acme/web:AWS_ACCESS_KEY_ID': { user: 'ci-web' },
      'acme/web:AWS_SECRET_ACCESS_KEY': { user: 'ci-web' },
      DEPLOY_ROLE_ARN: { role: 'deployer' },
    },
  },
  'test inventory',
);

let sandbox: GitHubSandbox;
beforeAll(async () => {
  sandbox = await startGitHubSandbox({ org: spec, tokens: [TOKEN] });
});
afterAll(async () => {
  await sandbox.stop();
});

const ctx = (stepId: string): ActionContext => ({
  incidentId: 'incident-rotate-test',
  stepId,
  idempotencyKey: `incident-rotate-test/${stepId}`,
  drill: true,
});

function actions(iam: IAMClient) {
  const all = createAwsActions({
    iam,
    octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url }),
    inventory,
  }) as unknown as Record<string, ActionHandler>;
  return {
    rotate: all['aws.rotateAccessKeys'] as ActionHandler<{ targets: ReachableSecret[] }, RotationItem>,
    reactivate: all['aws.reactivateAccessKeys']!,
    deleteOld: all['aws.deleteOldAccessKeys'] as ActionHandler<{ rotated: RotatedUser[] }>,
    revoke: all['aws.revokeRoleSessions'] as ActionHandler<{ targets: ReachableSecret[] }>,
    restore: all['aws.restoreRoleSessions']!,
  };
}

async function seed(iam: IAMClient): Promise<Record<string, string[]>> {
  await iam.send(new CreateUserCommand({ UserName: 'ci-web' }));
  await iam.send(new CreateUserCommand({ UserName: 'web-prod' }));
  await iam.send(
    new TagUserCommand({
      UserName: 'web-prod',
      Tags: [
        { Key: SECRETS_TAG, Value: 'acme/web:PROD_AWS_ACCESS_KEY_ID acme/web:PROD_AWS_SECRET_ACCESS_KEY' },
        { Key: 'cordon:human', Value: 'true' },
      ],
    }),
  );
  await iam.send(new CreateLoginProfileCommand({ UserName: 'web-prod', Password: 'Initial-Passw0rd!' }));
  await iam.send(
    new CreateRoleCommand({
      RoleName: 'deployer',
      AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
    }),
  );
  const keys: Record<string, string[]> = { 'ci-web': [], 'web-prod': [] };
  for (const user of ['ci-web', 'web-prod']) {
    const k = await iam.send(new CreateAccessKeyCommand({ UserName: user }));
    keys[user]!.push(k.AccessKey!.AccessKeyId!);
  }
  // web-prod is at the two-key limit.
  const second = await iam.send(new CreateAccessKeyCommand({ UserName: 'web-prod' }));
  keys['web-prod']!.push(second.AccessKey!.AccessKeyId!);
  return keys;
}

async function keysOf(iam: IAMClient, user: string): Promise<Record<string, string>> {
  const r = await iam.send(new ListAccessKeysCommand({ UserName: user }));
  return Object.fromEntries((r.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId!, k.Status!]));
}

/** Everything an apply returned, as text: no secret may appear in it. */
const text = (v: unknown) => JSON.stringify(v);

test('plan maps secrets by inventory and IAM tags, keeps the unmapped for humans, and names the key deleted first at the two-key limit', async () => {
  const iam = moto.iam();
  const keys = await seed(iam);
  const plan = await actions(iam).rotate.plan!({ targets }, ctx('rotate'));
  expect(plan.items.map((i) => i.user)).toEqual(['ci-web', 'web-prod']);
  const web = plan.items[0]!;
  expect(web.secrets.map((s) => [s.name, s.field])).toEqual([
    ['AWS_ACCESS_KEY_ID', 'accessKeyId'],
    ['AWS_SECRET_ACCESS_KEY', 'secretAccessKey'],
  ]);
  expect(web.deactivate).toEqual(keys['ci-web']);
  expect(web.makeRoom).toBeUndefined();
  const prod = plan.items[1]!;
  expect(prod.human).toBe(true);
  expect(prod.loginProfile).toBe('keep');
  expect(prod.makeRoom?.id).toBeDefined();
  expect(keys['web-prod']).toContain(prod.makeRoom!.id);
  expect(prod.deactivate).toEqual(keys['web-prod']!.filter((k) => k !== prod.makeRoom!.id));
  expect(plan.irreversible).toBe(true);
  expect(plan.summary).toMatch(/two-key limit/);
  expect(plan.details!.rotateByHand).toEqual([
    expect.objectContaining({ repo: 'acme/web', name: 'NPM_TOKEN', reason: expect.stringMatching(/rotate|names/) }),
  ]);
  expect(plan.details!.roles).toEqual(['deployer']);
});

test('apply puts the new key in every GitHub secret (sealed box), deactivates the old ones, and records ids and fingerprints only', async () => {
  const iam = moto.iam();
  const keys = await seed(iam);
  const { rotate } = actions(iam);
  const plan = await rotate.plan!({ targets }, ctx('rotate'));
  const effects = await rotate.apply!(plan, ctx('rotate'));
  const rotated = effects.rotated as RotatedUser[];
  expect(rotated.map((r) => r.user)).toEqual(['ci-web', 'web-prod']);
  const web = rotated[0]!;
  // The sandbox opened the sealed box with the scope's private key: the secrets hold the new key.
  const newId = sandbox.secretValue({ repo: 'web' }, 'AWS_ACCESS_KEY_ID')!;
  const newSecret = sandbox.secretValue({ repo: 'web' }, 'AWS_SECRET_ACCESS_KEY')!;
  expect(newId).toBe(web.newKeyId);
  expect(keyFingerprint(newSecret)).toBe(web.fingerprint);
  expect(text(effects)).not.toContain(newSecret);
  // The new key authenticates: moto resolves GetUser without a name from the calling key.
  const asNew = createIamClient({
    endpoint: moto.url(),
    credentials: { accessKeyId: newId, secretAccessKey: newSecret },
  });
  expect((await asNew.send(new GetUserCommand({}))).User?.UserName).toBe('ci-web');
  expect(await keysOf(iam, 'ci-web')).toEqual({ [keys['ci-web']![0]!]: 'Inactive', [newId]: 'Active' });
  // web-prod: one key deleted to make room, the other deactivated, the new one active; never more than two.
  const prod = rotated[1]!;
  const prodKeys = await keysOf(iam, 'web-prod');
  expect(Object.keys(prodKeys)).toHaveLength(2);
  expect(prodKeys[prod.newKeyId]).toBe('Active');
  expect(prod.deletedToMakeRoom).toHaveLength(1);
  expect(prodKeys[prod.deactivated[0]!]).toBe('Inactive');
  expect(sandbox.secretValue({ repo: 'web', environment: 'production' }, 'PROD_AWS_ACCESS_KEY_ID')).toBe(prod.newKeyId);
  // Console access of the human user stays: the playbook did not enable its deletion.
  await expect(iam.send(new GetLoginProfileCommand({ UserName: 'web-prod' }))).resolves.toBeDefined();
  expect(effects.rotateByHand).toEqual([expect.objectContaining({ name: 'NPM_TOKEN' })]);

  // A retry of the same apply changes nothing: same new key, no third key.
  const again = await rotate.apply!(plan, ctx('rotate'));
  expect((again.rotated as RotatedUser[]).map((r) => r.newKeyId)).toEqual(rotated.map((r) => r.newKeyId));
  expect(Object.keys(await keysOf(iam, 'ci-web'))).toHaveLength(2);
});

test('a try that dies after any IAM call is finished by the retry with exactly one new key, never three, never without a working key', async () => {
  // web-prod alone: at the two-key limit, the hardest case (a key is deleted to make room).
  const targets = [
    { repo: 'acme/web', scope: 'environment', environment: 'production', name: 'PROD_AWS_ACCESS_KEY_ID' },
    { repo: 'acme/web', scope: 'environment', environment: 'production', name: 'PROD_AWS_SECRET_ACCESS_KEY' },
  ] as ReachableSecret[];
  const admin = moto.iam();
  let calls = 0;
  // Count the IAM calls of a whole rotation, then crash a fresh rotation after each of them in turn.
  const counting = moto.iam();
  const send = counting.send.bind(counting);
  counting.send = ((cmd: never) => {
    calls++;
    return send(cmd);
  }) as typeof counting.send;
  await seed(admin);
  const plan0 = await actions(admin).rotate.plan!({ targets }, ctx('count'));
  await actions(counting).rotate.apply!(plan0, ctx('count'));
  const total = calls;
  expect(total).toBeGreaterThan(5);
  for (let crashAfter = 1; crashAfter <= total; crashAfter++) {
    await moto.server().reset();
    const seeded = await seed(admin);
    const plan = await actions(admin).rotate.plan!({ targets }, ctx(`crash-${crashAfter}`));
    const crashing = moto.iam();
    const real = crashing.send.bind(crashing);
    let n = 0;
    crashing.send = (async (cmd: never) => {
      const r = await real(cmd);
      if (++n === crashAfter) throw new Error(`worker killed after IAM call ${n}`);
      return r;
    }) as typeof crashing.send;
    await expect(actions(crashing).rotate.apply!(plan, ctx(`crash-${crashAfter}`))).rejects.toThrow(/worker killed/);
    for (const user of ['web-prod']) {
      const ks = await keysOf(admin, user);
      expect(Object.keys(ks).length).toBeLessThanOrEqual(2);
      expect(Object.values(ks)).toContain('Active');
    }
    const effects = await actions(admin).rotate.apply!(plan, ctx(`crash-${crashAfter}`));
    for (const r of effects.rotated as RotatedUser[]) {
      const ks = await keysOf(admin, r.user);
      const fresh = Object.keys(ks).filter((k) => !seeded[r.user]!.includes(k));
      expect({ crashAfter, user: r.user, fresh }).toEqual({ crashAfter, user: r.user, fresh: [r.newKeyId] });
      expect(ks[r.newKeyId]).toBe('Active');
    }
    const secret = sandbox.secretValue({ repo: 'web', environment: 'production' }, 'PROD_AWS_SECRET_ACCESS_KEY')!;
    expect(keyFingerprint(secret)).toBe((effects.rotated as RotatedUser[])[0]!.fingerprint);
  }
});

test('undo re-activates the old keys; after the grace period deleteOldAccessKeys deletes only keys still inactive', async () => {
  const iam = moto.iam();
  const keys = await seed(iam);
  const a = actions(iam);
  const plan = await a.rotate.plan!({ targets }, ctx('rotate'));
  const effects = await a.rotate.apply!(plan, ctx('rotate'));
  const undone = await a.reactivate.undo!(effects, {}, ctx('rotate'));
  expect(undone.reactivated).toEqual(expect.arrayContaining([{ user: 'ci-web', keyId: keys['ci-web']![0] }]));
  expect((await keysOf(iam, 'ci-web'))[keys['ci-web']![0]!]).toBe('Active');

  // Rotate a fresh incident, then delete after the grace period.
  const plan2 = await a.rotate.plan!({ targets }, ctx('rotate-2'));
  const effects2 = await a.rotate.apply!(plan2, ctx('rotate-2'));
  const rotated = effects2.rotated as RotatedUser[];
  const delPlan = (await a.deleteOld.plan!({ rotated }, ctx('delete-old'))) as ActionPlan<{ keyId: string }>;
  expect(delPlan.irreversible).toBe(true);
  expect(delPlan.items.map((i) => i.keyId).sort()).toEqual(rotated.flatMap((r) => r.deactivated).sort());
  const deleted = await a.deleteOld.apply!(delPlan, ctx('delete-old'));
  expect(deleted.keysDeleted).toBe(delPlan.items.length);
  for (const r of rotated) expect(await keysOf(iam, r.user)).toEqual({ [r.newKeyId]: 'Active' });
  // Retried: already gone, nothing fails.
  const again = await a.deleteOld.apply!(delPlan, ctx('delete-old'));
  expect(again.alreadyGone).toHaveLength(delPlan.items.length);
});

test('role sessions are revoked by an inline deny on aws:TokenIssueTime named for the incident; undo removes it', async () => {
  const iam = moto.iam();
  await seed(iam);
  const a = actions(iam);
  const plan = await a.revoke.plan!({ targets }, ctx('revoke-role-sessions'));
  expect(plan.items).toEqual([
    {
      role: 'deployer',
      policyName: 'cordon-revoke-sessions-incident-rotate-test',
      secrets: ['org:acme:DEPLOY_ROLE_ARN'],
    },
  ]);
  const effects = await a.revoke.apply!(plan, ctx('revoke-role-sessions'));
  const got = await iam.send(
    new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'cordon-revoke-sessions-incident-rotate-test' }),
  );
  const doc = JSON.parse(decodeURIComponent(got.PolicyDocument!)) as {
    Statement: Array<{ Effect: string; Condition: { DateLessThan: Record<string, string> } }>;
  };
  expect(doc.Statement[0]!.Effect).toBe('Deny');
  const before = (effects.revoked as Array<{ revokedBefore: string }>)[0]!.revokedBefore;
  expect(doc.Statement[0]!.Condition.DateLessThan['aws:TokenIssueTime']).toBe(before);
  // A retry keeps the first revocation time.
  const again = await a.revoke.apply!(plan, ctx('revoke-role-sessions'));
  expect((again.revoked as Array<{ revokedBefore: string }>)[0]!.revokedBefore).toBe(before);
  await a.restore.undo!(effects, {}, ctx('revoke-role-sessions'));
  await expect(
    iam.send(
      new GetRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'cordon-revoke-sessions-incident-rotate-test' }),
    ),
  ).rejects.toMatchObject({ name: expect.stringMatching(/^NoSuchEntity/) });
});

test('rotation survives AWS throttling (every 3rd IAM request answered 400 Throttling) and GitHub secondary rate limits', async () => {
  const admin = moto.iam();
  await seed(admin);
  const proxy = await startThrottlingProxy(moto.url(), 3);
  const limit = sandbox.injectRateLimit({ kind: 'secondary', every: 4, retryAfterSeconds: 1 });
  try {
    const iam = createIamClient({
      endpoint: proxy.url,
      credentials: { accessKeyId: 'AKIAMOTOTESTADMIN000', secretAccessKey: 'x' },
    });
    const a = actions(iam);
    const plan = await a.rotate.plan!({ targets }, ctx('throttled'));
    const effects = await a.rotate.apply!(plan, ctx('throttled'));
    expect(proxy.throttled).toBeGreaterThan(3);
    expect(limit.triggered).toBeGreaterThan(0);
    for (const r of effects.rotated as RotatedUser[]) expect((await keysOf(admin, r.user))[r.newKeyId]).toBe('Active');
  } finally {
    limit.remove();
    await proxy.stop();
  }
}, 60_000);

test('organisation secrets receive the new key with their visibility and repository selection kept', async () => {
  const iam = moto.iam();
  await iam.send(new CreateUserCommand({ UserName: 'org-ci' }));
  await iam.send(new CreateAccessKeyCommand({ UserName: 'org-ci' }));
  sandbox.state.orgSecrets.set('ORG_AWS_SECRET_ACCESS_KEY', {
    name: 'ORG_AWS_SECRET_ACCESS_KEY',
    createdAt: '2026-01-01T00:00:00Z',
    updatedAt: '2026-01-01T00:00:00Z',
    value: 'old',
    visibility: 'selected',
    selectedRepositories: new Set(['web']),
  });
  const orgTargets: ReachableSecret[] = [
    { repo: 'acme/web', scope: 'organization', name: 'ORG_AWS_SECRET_ACCESS_KEY' },
  ];
  const all = createAwsActions({
    iam,
    octokit: createGitHubClient({ token: TOKEN, baseUrl: sandbox.url }),
    inventory: parseInventory({ secrets: { ORG_AWS_SECRET_ACCESS_KEY: { user: 'org-ci' } } }, 'org inventory'),
  }) as unknown as Record<string, ActionHandler<{ targets: ReachableSecret[] }, RotationItem>>;
  const rotate = all['aws.rotateAccessKeys']!;
  const plan = await rotate.plan!({ targets: orgTargets }, ctx('rotate-org'));
  const effects = await rotate.apply!(plan, ctx('rotate-org'));
  const r = (effects.rotated as RotatedUser[])[0]!;
  expect(r.secretsUpdated).toEqual(['org:acme:ORG_AWS_SECRET_ACCESS_KEY']);
  const stored = sandbox.state.orgSecrets.get('ORG_AWS_SECRET_ACCESS_KEY')!;
  expect(keyFingerprint(stored.value!)).toBe(r.fingerprint);
  expect(stored.visibility).toBe('selected');
  expect([...stored.selectedRepositories]).toEqual(['web']);
  expect(sandbox.validationFailures).toEqual([]);
});
