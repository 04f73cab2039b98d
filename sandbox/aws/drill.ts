import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  TagRoleCommand,
  TagUserCommand,
} from '@aws-sdk/client-iam';
import type { SeededTruth } from '../github';
import { startMotoServer, type MotoServer } from './moto';

/**
 * The IAM tag naming the GitHub secrets an identity backs, as an organisation using cordon writes it. Duplicated from
 * activities/aws on purpose: the sandbox seeds IAM the way the documented convention says, so a client that misreads
 * it fails the drill instead of agreeing with itself.
 */
const SECRETS_TAG = 'cordon:github-secrets';

/** Credentials the drill's worker uses against moto (moto does not check them); never a real key. */
export const DRILL_AWS_CREDENTIALS = { accessKeyId: 'AKIACORDONDRILL00000', secretAccessKey: 'cordon-drill-moto' };

/** What the drill seeded in IAM for a generated organisation. */
export interface SeededIam {
  /** IAM user per repository holding an AWS key pair in its Actions secrets. */
  users: string[];
  /** IAM role per repository whose production environment holds a deploy credential. */
  roles: string[];
}

/**
 * Seeds IAM the way an organisation that tags its identities would: one user per repository with
 * `AWS_ACCESS_KEY_ID`/`AWS_SECRET_ACCESS_KEY` secrets (with a key), and one deploy role per repository whose
 * `production` environment holds `DEPLOY_TOKEN`, each tagged with the secrets it backs. Everything else the
 * exposure finds (npm tokens, webhooks) maps to nothing and is left for humans.
 */
export async function seedIamForOrg(iam: IAMClient, truth: SeededTruth): Promise<SeededIam> {
  const users: string[] = [];
  const roles: string[] = [];
  for (const [repo, names] of Object.entries(truth.secretNames).sort(([a], [b]) => a.localeCompare(b))) {
    const full = `${truth.org}/${repo}`;
    if (names.repo.includes('AWS_ACCESS_KEY_ID') && names.repo.includes('AWS_SECRET_ACCESS_KEY')) {
      const user = `ci-${repo}`.slice(0, 64);
      await iam.send(new CreateUserCommand({ UserName: user }));
      await iam.send(
        new TagUserCommand({
          UserName: user,
          Tags: [{ Key: SECRETS_TAG, Value: `${full}:AWS_ACCESS_KEY_ID ${full}:AWS_SECRET_ACCESS_KEY` }],
        }),
      );
      await iam.send(new CreateAccessKeyCommand({ UserName: user }));
      users.push(user);
    }
    if (names.environments.production?.includes('DEPLOY_TOKEN')) {
      const role = `deploy-${repo}`.slice(0, 64);
      await iam.send(
        new CreateRoleCommand({
          RoleName: role,
          AssumeRolePolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [] }),
        }),
      );
      await iam.send(
        new TagRoleCommand({ RoleName: role, Tags: [{ Key: SECRETS_TAG, Value: `${full}:DEPLOY_TOKEN` }] }),
      );
      roles.push(role);
    }
  }
  return { users, roles };
}

/**
 * A plain SDK client on moto. Not cordon's `createIamClient`: the sandbox must not share the client's reading of the
 * protocol (endpoint, retries), or a misreading would go unnoticed on both sides.
 */
function motoIamClient(endpoint: string): IAMClient {
  // The SDK warns on stderr about Node versions for future SDK releases; the demo's stderr must stay clean.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  return new IAMClient({ region: 'us-east-1', endpoint, credentials: DRILL_AWS_CREDENTIALS });
}

/** The drill's AWS: moto with seeded IAM, or the reason it runs as drill (no moto installed). */
export type DrillAws =
  | { mode: 'moto'; env: Record<string, string>; seeded: SeededIam; stop(): Promise<void> }
  | { mode: 'drill'; reason: string; stop(): Promise<void> };

/** What the drill runs IAM on: moto's server, or why there is none. */
export type DrillMoto = { bin: string } | { unavailable: string };

/**
 * Starts moto for a drill and seeds IAM for the organisation; without moto (`unavailable`, e.g. no Python 3 to install
 * it), the AWS actions run as drill and the reason says why.
 */
export async function startDrillAws(truth: SeededTruth, moto: DrillMoto): Promise<DrillAws> {
  if (!('bin' in moto))
    return {
      mode: 'drill',
      reason: `${moto.unavailable}: AWS actions recorded in the drill ledger only`,
      stop: async () => {},
    };
  const server: MotoServer = await startMotoServer(moto.bin);
  try {
    const seeded = await seedIamForOrg(motoIamClient(server.url), truth);
    return {
      mode: 'moto',
      env: {
        AWS_ENDPOINT_URL: server.url,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: DRILL_AWS_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: DRILL_AWS_CREDENTIALS.secretAccessKey,
      },
      seeded,
      stop: () => server.stop(),
    };
  } catch (err) {
    await server.stop();
    throw err;
  }
}
