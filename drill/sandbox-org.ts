// The sandbox organisation for practising by hand (`cordon sandbox`): the demo's simulated systems, started on
// loopback and left running, with the environment that points `cordon dev` (and the CLI) at them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify as stringifyYaml } from 'yaml';
import type { Principal } from '../domain/approvers';
import { drillPeople } from './drill-people';
import { generateOrg, startGitHubSandbox } from '../sandbox/github';
import { addDrillTokens } from '../sandbox/github/generate/drill-tokens';
import { startNpmRegistrySandbox } from '../sandbox/npm-registry';
import { startPyPiSandbox } from '../sandbox/pypi';
import { startCratesRegistrySandbox } from '../sandbox/crates-registry';
import { startDrillAws, type DrillMoto } from '../sandbox/aws/drill';
import { startSlackSandbox } from '../sandbox/slack';
import { startSmtpSandbox } from '../sandbox/smtp';
import { ensureTool } from '../devserver/tools';

const GITHUB_TOKEN = 'ghp_cordonPracticeSandboxToken00000000000';
const SLACK_TOKEN = 'xoxb-cordon-practice-sandbox';
const SLACK_CHANNEL = 'C0PRACTICE';

/**
 * Who may approve what while practising: alice declares, bob and carol are on call (rotating keys needs two of them,
 * not alice: separation of duties), dave leads, erin is counsel. The names the README's walkthrough uses.
 */
export const PRACTICE_APPROVER_GROUPS = {
  'oncall-security': ['alice', 'bob', 'carol'],
  'security-leads': ['dave'],
  legal: ['erin'],
};

/** Options of {@link startSandboxOrg}. */
export interface SandboxOrgOptions {
  /** The GitHub organisation's login. @default 'acme' */
  org?: string;
  /** Repositories generated (3 of them exposed to the Mastra compromise). @default 24 */
  repos?: number;
  /** Progress lines (moto's first install). @default stderr */
  log?: (line: string) => void;
  /** Environment used to find moto. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Where the practice people's SSH keys and their approvers file are written (removed on stop): votes are signed,
   * so each person of {@link PRACTICE_APPROVER_GROUPS} gets a key, `<keysDir>/<name>`, to pass as `--key`.
   * @default a temporary directory
   */
  keysDir?: string;
}

/** A running sandbox organisation. */
export interface SandboxOrg {
  org: string;
  /** The exposure window the organisation's runs were seeded around. */
  window: { since: string; until: string };
  /** The variables that point a cordon worker and the CLI at this organisation, in the order they are printed. */
  env: Record<string, string>;
  /** Why AWS runs as drill (moto could not be provisioned); unset when moto serves IAM. */
  awsDrillReason?: string;
  stop(): Promise<void>;
}

/**
 * Starts the sandbox organisation on loopback: GitHub (REST + GraphQL), Slack, the npm, PyPI and crates registries,
 * IAM in moto and an SMTP server, plus a fresh payload key so the practice incident's history is encrypted like a real
 * one. Everything is loopback, so `declare --drill` passes pre-flight and no real system can be reached.
 */
export async function startSandboxOrg(options: SandboxOrgOptions = {}): Promise<SandboxOrg> {
  const log = options.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const stops: (() => Promise<void>)[] = [];
  const stop = async (): Promise<void> => {
    for (const s of stops.reverse()) await s();
  };
  try {
    const moto: DrillMoto = await ensureTool('moto', { log, env: options.env ?? process.env }).then(
      (bin) => ({ bin }),
      (err: Error) => ({ unavailable: `moto could not be provisioned (${err.message})` }),
    );
    const { spec, truth } = generateOrg({ name: options.org ?? 'acme', repos: options.repos ?? 24, exposedRepos: 3 });
    addDrillTokens(spec, truth);
    const github = await startGitHubSandbox({ org: spec, tokens: [GITHUB_TOKEN] });
    stops.push(() => github.stop());
    const npm = await startNpmRegistrySandbox();
    stops.push(() => npm.stop());
    const pypi = await startPyPiSandbox();
    stops.push(() => pypi.stop());
    const crates = await startCratesRegistrySandbox();
    stops.push(() => crates.stop());
    const smtp = await startSmtpSandbox();
    stops.push(() => smtp.stop());
    const slack = await startSlackSandbox({ botToken: SLACK_TOKEN, channels: [SLACK_CHANNEL], userGroups: [] });
    stops.push(() => slack.stop());
    const aws = await startDrillAws(truth, moto);
    stops.push(() => aws.stop());
    const keyId = `practice-${Date.now()}`;
    // Votes are signed: every practice person gets an SSH key, enrolled in an approvers file of people.
    const keysDir = options.keysDir ?? mkdtempSync(path.join(os.tmpdir(), 'cordon-sandbox-keys-'));
    rmSync(keysDir, { recursive: true, force: true });
    const people = drillPeople(PRACTICE_APPROVER_GROUPS, keysDir);
    stops.push(async () => rmSync(keysDir, { recursive: true, force: true }));
    const approversFile = path.join(keysDir, 'approvers.yaml');
    writeFileSync(approversFile, approversYaml(people.directory.people), { mode: 0o600 });
    return {
      org: truth.org,
      window: truth.window,
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_TOKEN,
        NPM_REGISTRY_URL: npm.url,
        PYPI_URL: pypi.url,
        CRATES_INDEX_URL: crates.indexUrl,
        CRATES_API_URL: crates.url,
        CORDON_SMTP_URL: smtp.url,
        CORDON_MAIL_FROM: `cordon-practice@${truth.org}.example`,
        SLACK_API_URL: slack.apiUrl,
        SLACK_BOT_TOKEN: SLACK_TOKEN,
        SLACK_INCIDENT_CHANNEL: SLACK_CHANNEL,
        ...(aws.mode === 'moto' ? aws.env : {}),
        CORDON_APPROVER_GROUPS_FILE: approversFile,
        // Only this sandbox's processes ever hold the key: it dies with the practice.
        CORDON_CODEC_KEYS: JSON.stringify({ [keyId]: randomBytes(32).toString('base64') }),
        CORDON_CODEC_ACTIVE_KEY: keyId,
      },
      ...(aws.mode === 'drill' ? { awsDrillReason: aws.reason } : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The approvers file of the practice people: each name is their CLI alias (Slack: U0<NAME>), with their one SSH key. */
function approversYaml(people: readonly Principal[]): string {
  return stringifyYaml({
    people: people.map((p) => ({
      id: p.id,
      aliases: { cli: p.aliases.cli, slack: [`U0${p.id.toUpperCase()}`] },
      groups: p.groups,
      keys: { ssh: p.keys.ssh.map((k) => `${k.algorithm} ${k.blob} ${p.id}@cordon-practice`) },
    })),
  });
}

/** One `NAME='value'` line per variable, quoted for a POSIX shell (`set -a; . FILE; set +a` exports them). */
export function shellEnvLines(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}='${v.replace(/'/g, `'\\''`)}'`);
}
