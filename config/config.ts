import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { groupAliases, type ApproverDirectory } from '../domain/approvers';
import { formatProblem } from '../domain/playbook';
import { isPeopleFile, parseApprovers } from './approvers';
import { readAwsConfig, type AwsConfig } from './aws';
import { readCodecConfig, type CodecConfig } from './codec';
import { UserError } from './errors';

const Groups = z.record(z.string().regex(/^[a-z][a-z0-9-]*$/), z.array(z.string().min(1)).min(1));

const EnvSchema = z.object({
  TEMPORAL_ADDRESS: z.string().default('127.0.0.1:7233'),
  TEMPORAL_NAMESPACE: z.string().default('default'),
  CORDON_TASK_QUEUE: z.string().default('cordon'),
  CORDON_APPROVER_GROUPS: z.string().optional(),
  CORDON_APPROVER_GROUPS_FILE: z.string().optional(),
  CORDON_STATE_DIR: z.string().default('.cordon'),
  CORDON_DRILL_LEDGER: z.string().optional(),
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
  CORDON_SMTP_URL: z
    .url({ protocol: /^smtps?$/, error: 'expected smtp://host:port or smtps://user:pass@host' })
    .optional(),
  CORDON_MAIL_FROM: z.email().default('cordon@localhost'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
});

/** Validated configuration of the worker, CLI and Slack app. */
export interface CordonConfig {
  temporal: { address: string; namespace: string; taskQueue: string };
  /** Approver group → member ids (Slack user ids, or people's handles for CLI approvals). */
  approverGroups: Record<string, string[]>;
  /** The people behind the aliases, with their enrolled keys, when the approvers file declares `people:`. */
  approvers?: ApproverDirectory;
  stateDir: string;
  drillLedger: string;
  github?: { apiUrl: string; token: string };
  /** IAM endpoint, region, credentials and secret inventory; absent means the AWS actions fail AWS_NOT_CONFIGURED. */
  aws?: AwsConfig;
  /** Where pin pull requests read package documents (last good versions, resolved URLs, integrity). @default registry.npmjs.org */
  npmRegistry?: { url: string; token?: string };
  /** Where pin pull requests read PyPI releases (JSON API). */
  pypi?: { url: string; token?: string };
  /** Where pin pull requests read crate versions: the sparse index, and the web API for publish times. */
  crates?: { indexUrl: string; apiUrl: string; token?: string };
  /** Payload encryption keys; absent means payloads are stored as the SDK encodes them (JSON, in clear). */
  codec?: CodecConfig;
  logLevel: z.infer<typeof EnvSchema>['LOG_LEVEL'];
  /** Parties and notice obligations (playbooks/obligations.yaml unless CORDON_OBLIGATIONS_FILE says otherwise). */
  obligationsFile?: string;
  /** Where notification packets are e-mailed from; absent, e-mail deliveries are listed as undeliverable. */
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
    throw new UserError(`configuration: ${String(i.path[0])}: ${i.message}`, 'E_CONFIG');
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
    throw new UserError(`configuration: approver groups: ${(err as Error).message}`, 'E_CONFIG');
  }
  if (peopleProblems.length > 0)
    throw new UserError(`configuration: approver groups:\n${peopleProblems.join('\n')}`, 'E_CONFIG');
  const g = Groups.safeParse(groups ?? {});
  if (!g.success) {
    const i = g.error.issues[0]!;
    throw new UserError(`configuration: approver groups: ${i.path.join('.') || '(root)'}: ${i.message}`, 'E_CONFIG');
  }
  if (e.GITHUB_API_URL && !e.GITHUB_TOKEN) {
    throw new UserError('configuration: GITHUB_API_URL is set but GITHUB_TOKEN is not', 'E_CONFIG');
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
  if (e.CORDON_SMTP_URL) config.smtp = { url: e.CORDON_SMTP_URL, from: e.CORDON_MAIL_FROM };
  const codec = readCodecConfig(e.CORDON_CODEC_KEYS, e.CORDON_CODEC_ACTIVE_KEY);
  if (codec) config.codec = codec;
  if (e.GITHUB_TOKEN) config.github = { apiUrl: e.GITHUB_API_URL ?? 'https://api.github.com', token: e.GITHUB_TOKEN };
  const aws = readAwsConfig(env, cwd);
  if (aws) config.aws = aws;
  return config;
}
