import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { groupAliases, type ApproverDirectory } from '../domain/approvers';
import { formatProblem } from '../domain/playbook';
import { isPeopleFile, parseApprovers } from './approvers';
import { readAwsConfig, type AwsConfig } from './aws';
import { readCodecConfig, type CodecConfig } from './codec';
import { ErrorCode, UserError } from './errors';

const Groups = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.array(z.string().min(1)).min(1));

const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  CORDON_TASK_QUEUE: z.string().default('cordon'),
  CORDON_APPROVER_GROUPS: z.string().optional(),
  CORDON_APPROVER_GROUPS_FILE: z.string().optional(),
  CORDON_STATE_DIR: z.string().default('.cordon'),
  CORDON_DRILL_LEDGER: z.string().optional(),
  CORDON_SANDBOX_URLS: z.string().optional(),
  GITHUB_API_URL: z.url().optional(),
  GITHUB_TOKEN: z.string().min(1).optional(),
  NPM_REGISTRY_URL: z.url().default('https://registry.npmjs.org'),
  NPM_TOKEN: z.string().min(1).optional(),
  PYPI_URL: z.url().default('https://pypi.org'),
  PYPI_TOKEN: z.string().min(1).optional(),
  CRATES_INDEX_URL: z.url().default('https://index.crates.io'),
  CRATES_API_URL: z.url().default('https://crates.io'),
  CRATES_TOKEN: z.string().min(1).optional(),
  CORDON_CODEC_KEYS: z.string().optional(),
  CORDON_CODEC_ACTIVE_KEY: z.string().optional(),
  CORDON_OBLIGATIONS_FILE: z.string().optional(),
  CORDON_SLACK_ATTESTATION_KEY: z
    .string()
    .regex(/^[A-Za-z0-9+/]{43}=?$/, 'expected a raw Ed25519 key (32 bytes) in base64')
    .optional(),
  CORDON_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'expected smtp://host:port or smtps://user:pass@host' })
    .optional(),
  CORDON_MAIL_FROM: z.email().default('cordon@localhost'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/**
 * Validated configuration of the worker, CLI and Slack app, read once by `loadConfig`. Each field names the
 * environment variable it comes from.
 */
export interface CordonConfig {
  temporal: {
    /** `TEMPORAL_ADDRESS`: the frontend, host:port. @default '127.0.0.1:7233' */
    address: string;
    /** `TEMPORAL_NAMESPACE`. @default 'default' */
    namespace: string;
    /** `CORDON_TASK_QUEUE`: the queue workers poll and incidents start on. @default 'cordon' */
    taskQueue: string;
  };
  /**
   * Approver group → member ids (Slack user ids, or people's handles for CLI approvals), from
   * `CORDON_APPROVER_GROUPS_FILE` (YAML or JSON) or `CORDON_APPROVER_GROUPS` (JSON). @default {}
   */
  approverGroups: Record<string, string[]>;
  /**
   * The people behind the aliases, with their enrolled keys, when the approvers file
   * (`CORDON_APPROVER_GROUPS_FILE`) declares `people:`. @default undefined
   */
  approvers?: ApproverDirectory;
  /**
   * `CORDON_SLACK_ATTESTATION_KEY`: the Slack app's attestation key, raw Ed25519 in base64: on a worker the public
   * key that verifies Slack button votes (`proof: slack`), in the Slack app the private key that signs them.
   * @default undefined (Slack button votes cannot be proven)
   */
  slackAttestationKey?: string;
  /** `CORDON_STATE_DIR`, resolved against the working directory. @default '<cwd>/.cordon' */
  stateDir: string;
  /** `CORDON_DRILL_LEDGER`: where drills record what they would have done. @default '<stateDir>/drill-ledger.jsonl' */
  drillLedger: string;
  /**
   * `CORDON_SANDBOX_URLS` (comma-separated): endpoints besides loopback addresses that a drill may call (a shared
   * sandbox GitHub, a test SMTP relay). @default [] (loopback only)
   */
  sandboxUrls?: string[];
  /**
   * `GITHUB_TOKEN` and `GITHUB_API_URL`; absent without a token, and the GitHub actions then fail
   * GITHUB_NOT_CONFIGURED. `apiUrl` @default 'https://api.github.com'
   */
  github?: { apiUrl: string; token: string };
  /** IAM endpoint, region, credentials and secret inventory; absent means the AWS actions fail AWS_NOT_CONFIGURED. */
  aws?: AwsConfig;
  /**
   * `NPM_REGISTRY_URL`, `NPM_TOKEN`: where pin pull requests read package documents (last good versions, resolved
   * URLs, integrity). @default { url: 'https://registry.npmjs.org' }
   */
  npmRegistry?: { url: string; token?: string };
  /**
   * `PYPI_URL`, `PYPI_TOKEN`: where pin pull requests read PyPI releases (JSON API).
   * @default { url: 'https://pypi.org' }
   */
  pypi?: { url: string; token?: string };
  /**
   * `CRATES_INDEX_URL`, `CRATES_API_URL`, `CRATES_TOKEN`: where pin pull requests read crate versions (the sparse
   * index) and publish times (the web API).
   * @default { indexUrl: 'https://index.crates.io', apiUrl: 'https://crates.io' }
   */
  crates?: { indexUrl: string; apiUrl: string; token?: string };
  /**
   * `CORDON_CODEC_KEYS`, `CORDON_CODEC_ACTIVE_KEY`: payload encryption keys; absent means payloads are stored as the
   * SDK encodes them (JSON, in clear). @default undefined
   */
  codec?: CodecConfig;
  /** `LOG_LEVEL`. @default 'info' */
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /**
   * `CORDON_OBLIGATIONS_FILE`: parties and notice obligations.
   * @default DEFAULT_OBLIGATIONS_FILE (playbooks/obligations.yaml)
   */
  obligationsFile?: string;
  /**
   * `CORDON_SMTP_URL`, `CORDON_MAIL_FROM`: where notification packets are e-mailed from; absent, e-mail deliveries are
   * listed as undeliverable. `from` @default 'cordon@localhost'
   */
  smtp?: { url: string; from: string };
}

/** The obligations shipped with cordon, for a worker not told of another file. */
export const DEFAULT_OBLIGATIONS_FILE = path.resolve(__dirname, '../playbooks/obligations.yaml');

/**
 * Reads configuration once from an environment map (tests pass their own map instead of mutating process.env).
 * @throws UserError naming the variable and what was expected.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): CordonConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new UserError(`configuration: ${String(i.path[0])}: ${i.message}`, ErrorCode.Config);
  }
  const e = parsed.data;
  let groups: unknown = {};
  let approvers: ApproverDirectory | undefined;
  let peopleProblems: string[] = [];
  try {
    if (e.CORDON_APPROVER_GROUPS_FILE) {
      const text = readFileSync(path.resolve(cwd, e.CORDON_APPROVER_GROUPS_FILE), 'utf8');
      groups = parseYaml(text);
      if (isPeopleFile(groups)) {
        const people = parseApprovers(text, e.CORDON_APPROVER_GROUPS_FILE);
        if (people.ok) {
          approvers = people.directory;
          // Until votes are signed, groups are matched by alias: every CLI handle and Slack id of each member.
          groups = groupAliases(people.directory);
        } else peopleProblems = people.problems.map(formatProblem);
      }
    } else if (e.CORDON_APPROVER_GROUPS) groups = JSON.parse(e.CORDON_APPROVER_GROUPS);
  } catch (err) {
    throw new UserError(`configuration: approver groups: ${(err as Error).message}`, ErrorCode.Config);
  }
  if (peopleProblems.length > 0)
    throw new UserError(`configuration: approver groups:\n${peopleProblems.join('\n')}`, 'E_CONFIG');
  const g = Groups.safeParse(groups ?? {});
  if (!g.success) {
    const i = g.error.issues[0]!;
    throw new UserError(
      `configuration: approver groups: ${i.path.join('.') || '(root)'}: ${i.message}`,
      ErrorCode.Config,
    );
  }
  if (e.GITHUB_API_URL && !e.GITHUB_TOKEN) {
    throw new UserError('configuration: GITHUB_API_URL is set but GITHUB_TOKEN is not', ErrorCode.Config);
  }
  const stateDir = path.resolve(cwd, e.CORDON_STATE_DIR);
  const config: CordonConfig = {
    temporal: { address: e.TEMPORAL_ADDRESS, namespace: e.TEMPORAL_NAMESPACE, taskQueue: e.CORDON_TASK_QUEUE },
    approverGroups: g.data,
    stateDir,
    drillLedger: path.resolve(cwd, e.CORDON_DRILL_LEDGER ?? path.join(stateDir, 'drill-ledger.jsonl')),
    npmRegistry: { url: e.NPM_REGISTRY_URL, ...(e.NPM_TOKEN ? { token: e.NPM_TOKEN } : {}) },
    pypi: { url: e.PYPI_URL, ...(e.PYPI_TOKEN ? { token: e.PYPI_TOKEN } : {}) },
    crates: {
      indexUrl: e.CRATES_INDEX_URL,
      apiUrl: e.CRATES_API_URL,
      ...(e.CRATES_TOKEN ? { token: e.CRATES_TOKEN } : {}),
    },
    logLevel: e.LOG_LEVEL,
    obligationsFile: e.CORDON_OBLIGATIONS_FILE
      ? path.resolve(cwd, e.CORDON_OBLIGATIONS_FILE)
      : DEFAULT_OBLIGATIONS_FILE,
  };
  if (approvers) config.approvers = approvers;
  if (e.CORDON_SANDBOX_URLS) {
    const urls = e.CORDON_SANDBOX_URLS.split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    const bad = urls.find((u) => !URL.canParse(u));
    if (bad) throw new UserError(`configuration: CORDON_SANDBOX_URLS: ${bad}: expected a URL`, ErrorCode.Config);
    config.sandboxUrls = urls;
  }
  if (e.CORDON_SLACK_ATTESTATION_KEY) config.slackAttestationKey = e.CORDON_SLACK_ATTESTATION_KEY;
  if (e.CORDON_SMTP_URL) config.smtp = { url: e.CORDON_SMTP_URL, from: e.CORDON_MAIL_FROM };
  const codec = readCodecConfig(e.CORDON_CODEC_KEYS, e.CORDON_CODEC_ACTIVE_KEY);
  if (codec) config.codec = codec;
  if (e.GITHUB_TOKEN) config.github = { apiUrl: e.GITHUB_API_URL ?? 'https://api.github.com', token: e.GITHUB_TOKEN };
  const aws = readAwsConfig(env, cwd);
  if (aws) config.aws = aws;
  return config;
}
