import { ApplicationFailure, type Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';
import { DrillLedger, drillActions } from '../activities/drill';
import { awsHandlers } from './aws-handlers';
import { orgExposureActions } from '../activities/github/exposure-actions';
import { createGitHubActivities, createGitHubClient } from '../activities/github';
import { createContainActions } from '../activities/github/contain';
import { createRevokeActions } from '../activities/github/revoke';
import { createCratesRegistry } from '../activities/registries/crates';
import { createNpmRegistry } from '../activities/registries/npm';
import { createPyPiRegistry } from '../activities/registries/pypi';
import { incidentActions } from '../activities/incident';
import { notifyActions } from '../activities/notify';
import type { PacketPoster } from '../activities/notify/channels';
import { missingHandlers, type ActionHandlers } from '../activities/registry';
import { DEFAULT_ACTIONS } from '../domain/actions';
import { DEFAULT_OBLIGATIONS_FILE, type CordonConfig } from '../config/config';
import { FailureType } from '../domain/failures';

const GITHUB_READS = ['github.listRepos', 'exposure.identifyInstalls', 'github.collectCiExposure'];
const GITHUB_CHANGES = [
  'github.disableWorkflows',
  'github.enableWorkflows',
  'github.openPinPullRequests',
  'github.closePinPullRequests',
  'github.purgeRunArtifacts',
  'github.rollbackDeployments',
  'github.restoreDeployments',
  'github.withdrawReleases',
  'github.republishReleases',
  'github.deletePackageVersions',
  'github.restorePackageVersions',
  'github.revokeTokens',
];

function githubNotConfigured(): ActionHandlers {
  const fail = async (): Promise<never> => {
    throw ApplicationFailure.create({
      type: FailureType.GitHubNotConfigured,
      message: 'GitHub is not configured: set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise or the sandbox)',
      nonRetryable: true,
    });
  };
  return Object.fromEntries([
    ...GITHUB_READS.map((a) => [a, { run: fail }]),
    ...GITHUB_CHANGES.map((a) => [a, { plan: fail, apply: fail, undo: fail }]),
  ]) as ActionHandlers;
}

/** Adapts pino to the Temporal `Logger` shape the GitHub client logs throttling decisions with. */
function temporalLogger(logger: Logger): TemporalLogger {
  const at =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error') => (message: string, meta?: Record<string, unknown>) =>
      logger[level](meta ?? {}, message);
  return {
    log: (level, message, meta) => at(level.toLowerCase() as 'info')(message, meta),
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
}

/**
 * Every playbook action handler the worker serves, wired to the configured clients. `packetPoster` delivers packets
 * to Slack recipients when Slack is configured (worker/slack-wiring.ts).
 */
export function defaultHandlers(
  config: CordonConfig,
  logger: Logger,
  extra: { packetPoster?: PacketPoster } = {},
): ActionHandlers {
  const ledger = new DrillLedger(config.drillLedger);
  const octokit = config.github
    ? createGitHubClient({ token: config.github.token, baseUrl: config.github.apiUrl, logger: temporalLogger(logger) })
    : undefined;
  const github = octokit
    ? {
        ...orgExposureActions(createGitHubActivities({ octokit })),
        ...createContainActions({
          octokit,
          npmRegistry: createNpmRegistry(config.npmRegistry ?? {}),
          pypi: createPyPiRegistry(config.pypi ?? {}),
          crates: createCratesRegistry(config.crates ?? {}),
        }),
        ...createRevokeActions({ octokit }),
      }
    : githubNotConfigured();
  const notify = notifyActions(
    {
      obligationsFile: config.obligationsFile ?? DEFAULT_OBLIGATIONS_FILE,
      stateDir: config.stateDir,
      ...(config.smtp ? { smtp: config.smtp } : {}),
    },
    extra.packetPoster ? { slack: extra.packetPoster } : {},
  );
  const handlers = {
    ...drillActions(ledger),
    ...incidentActions(),
    ...github,
    ...awsHandlers(config.aws, octokit),
    ...notify,
  };
  const missing = missingHandlers(DEFAULT_ACTIONS, handlers);
  if (missing.length > 0)
    throw new Error(`no handler for playbook action(s) ${missing.join(', ')} (a bug in worker/handlers.ts)`);
  return handlers;
}
