import type { Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';
import { DrillLedger, createDrillActivities } from '../activities/drill';
import { configuredAwsActivities } from './aws-handlers';
import { createExposureActivities } from '../activities/github/exposure-actions';
import { createGitHubActivities, createGitHubClient } from '../activities/github';
import { createContainActivities } from '../activities/github/contain';
import { createRevokeActivities } from '../activities/github/revoke';
import { createCratesRegistry } from '../activities/registries/crates';
import { createNpmRegistry } from '../activities/registries/npm';
import { createPyPiRegistry } from '../activities/registries/pypi';
import { createIncidentActivities } from '../activities/incident';
import { createNotifyActivities } from '../activities/notify';
import type { PacketPoster } from '../activities/notify/channels';
import { missingHandlers, type ActionHandlers } from '../activities/registry';
import { DEFAULT_ACTIONS } from '../domain/actions';
import { DEFAULT_OBLIGATIONS_FILE, type CordonConfig } from '../config/config';
import { notConfigured } from './not-configured';

/** Every GitHub action of the catalog, failing at once: no token is configured. */
export function githubNotConfigured(): ActionHandlers {
  return notConfigured(DEFAULT_ACTIONS, 'github', {
    type: 'GITHUB_NOT_CONFIGURED',
    message: 'GitHub is not configured: set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise or the sandbox)',
  });
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
        ...createExposureActivities({ github: createGitHubActivities({ octokit }) }),
        ...createContainActivities({
          octokit,
          npmRegistry: createNpmRegistry(config.npmRegistry ?? {}),
          pypi: createPyPiRegistry(config.pypi ?? {}),
          crates: createCratesRegistry(config.crates ?? {}),
        }),
        ...createRevokeActivities({ octokit }),
      }
    : githubNotConfigured();
  const notify = createNotifyActivities({
    obligationsFile: config.obligationsFile ?? DEFAULT_OBLIGATIONS_FILE,
    stateDir: config.stateDir,
    ...(config.smtp ? { smtp: config.smtp } : {}),
    ...(extra.packetPoster ? { slack: extra.packetPoster } : {}),
  });
  const handlers: ActionHandlers = {
    ...createDrillActivities({ ledger }),
    ...createIncidentActivities(),
    ...github,
    ...configuredAwsActivities(config.aws, octokit),
    ...notify,
  };
  const missing = missingHandlers(DEFAULT_ACTIONS, handlers);
  if (missing.length > 0)
    throw new Error(`no handler for playbook action(s) ${missing.join(', ')} (a bug in worker/handlers.ts)`);
  return handlers;
}
