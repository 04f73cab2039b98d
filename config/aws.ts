import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseInventory, type Inventory } from './aws-inventory';
import { ErrorCode, UserError } from './errors';

const AwsEnv = z.object({
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
  CORDON_AWS_INVENTORY: z.string().min(1).optional(),
});

/** Where and as whom the AWS actions call IAM, and the inventory mapping GitHub secrets to IAM identities. */
export interface AwsConfig {
  /** `AWS_ENDPOINT_URL`: the IAM endpoint (moto in drills and tests). @default undefined (real AWS) */
  endpoint?: string;
  /** `AWS_REGION`; IAM is global, the region only signs requests. @default 'us-east-1' */
  region: string;
  /**
   * `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`: static credentials.
   * @default undefined (the SDK's default chain: profile, instance role)
   */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /**
   * `CORDON_AWS_INVENTORY` (a YAML or JSON file, or inline JSON): secret name → IAM identity.
   * @default { secrets: {} }
   */
  inventory: Inventory;
}

function readInventory(value: string, cwd: string): Inventory {
  const inline = value.trimStart().startsWith('{');
  const source = inline ? 'inline JSON' : path.resolve(cwd, value);
  try {
    const parsed: unknown = inline ? JSON.parse(value) : parseYaml(readFileSync(source, 'utf8'));
    return parseInventory(parsed, source);
  } catch (err) {
    throw new UserError(`configuration: CORDON_AWS_INVENTORY: ${(err as Error).message}`, ErrorCode.Config);
  }
}

/**
 * AWS is configured when `AWS_ENDPOINT_URL` or `CORDON_AWS_INVENTORY` is set (a file, YAML or JSON, or inline
 * JSON); otherwise the AWS actions fail with AWS_NOT_CONFIGURED. `AWS_REGION` defaults to us-east-1 (IAM is global).
 * @throws UserError naming the variable and what was expected.
 */
export function readAwsConfig(env: NodeJS.ProcessEnv, cwd: string): AwsConfig | undefined {
  const parsed = AwsEnv.safeParse(env);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new UserError(`configuration: ${String(i.path[0])}: ${i.message}`, ErrorCode.Config);
  }
  const e = parsed.data;
  if (!e.AWS_ENDPOINT_URL && !e.CORDON_AWS_INVENTORY) return undefined;
  if (Boolean(e.AWS_ACCESS_KEY_ID) !== Boolean(e.AWS_SECRET_ACCESS_KEY))
    throw new UserError(
      'configuration: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither',
      ErrorCode.Config,
    );
  return {
    ...(e.AWS_ENDPOINT_URL ? { endpoint: e.AWS_ENDPOINT_URL } : {}),
    region: e.AWS_REGION ?? 'us-east-1',
    ...(e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY
      ? {
          credentials: {
            accessKeyId: e.AWS_ACCESS_KEY_ID,
            secretAccessKey: e.AWS_SECRET_ACCESS_KEY,
            ...(e.AWS_SESSION_TOKEN ? { sessionToken: e.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
    inventory: e.CORDON_AWS_INVENTORY ? readInventory(e.CORDON_AWS_INVENTORY, cwd) : { secrets: {} },
  };
}
