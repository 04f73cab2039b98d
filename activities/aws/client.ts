import { IAMClient } from '@aws-sdk/client-iam';

/** Options of `createIamClient`. */
export interface IamClientOptions {
  /** IAM endpoint; moto's server in drills and tests. @default the SDK's (real AWS) */
  endpoint?: string;
  /** IAM is global, but the SDK signs for a region. @default 'us-east-1' */
  region?: string;
  /** Static credentials; without them the SDK's default chain (environment, profile, instance role) applies. */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  /** Attempts of one call, throttled (`Throttling`, 429) or 5xx answers retried with backoff. @default 6 */
  maxAttempts?: number;
}

/**
 * The IAM client cordon's AWS actions take. The SDK's standard retry mode backs off and retries throttling and
 * transient errors itself (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html); a call
 * still throttled after `maxAttempts` fails the activity, and Temporal retries it later.
 */
export function createIamClient(options: IamClientOptions = {}): IAMClient {
  // The SDK warns on stderr that versions published after January 2027 need Node 22. cordon pins its SDK version,
  // and the warning would break the CLI's contract of a clean stderr; it is about upgrades, not this client.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  if (options.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(options.endpoint))
    throw new Error(`createIamClient: endpoint must be an http(s) URL, got "${options.endpoint}"`);
  return new IAMClient({
    region: options.region ?? 'us-east-1',
    maxAttempts: options.maxAttempts ?? 6,
    retryMode: 'standard',
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}
