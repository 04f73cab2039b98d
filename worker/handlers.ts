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
import { markReach, missingHandlers, type ActionHandlers } from '../activities/registry';
import { DEFAULT_ACTIONS, type Integration } from '../domain/actions';
import { FailureType } from '../domain/failures';
import { isSandboxEndpoint, type IntegrationReach } from '../domain/preflight';
import { DEFAULT_OBLIGATIONS_FILE, type CordonConfig } from '../config/config';
import { notConfigured } from './not-configured';

// Real AWS when no endpoint is configured: IAM's global endpoint, which no drill may call.
const AWS_IAM_ENDPOINT = 'https://iam.amazonaws.com';

const unconfigured = (system: Integration, hint: string): IntegrationReach => ({ system, configured: false, hint });

/**
 * What the worker has configured for each system an action may call, and where those calls go. The one place that
 * says what an integration needs: pre-flight reports the hint of a missing one, word for word.
 */
export function integrationStatus(
  config: CordonConfig,
  extra: { packetPoster?: PacketPoster } = {},
): Record<Integration, IntegrationReach> {
  const npm = config.npmRegistry?.url ?? 'https://registry.npmjs.org';
  const pypi = config.pypi?.url ?? 'https://pypi.org';
  const crates = config.crates ?? { indexUrl: 'https://index.crates.io', apiUrl: 'https://crates.io' };
  return {
    github: config.github
      ? { system: 'github', configured: true, endpoints: [config.github.apiUrl] }
      : unconfigured('github', 'set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise or the sandbox)'),
    aws: config.aws
      ? { system: 'aws', configured: true, endpoints: [config.aws.endpoint ?? AWS_IAM_ENDPOINT] }
      : unconfigured(
          'aws',
          'set CORDON_AWS_INVENTORY (secret name → IAM user or role) and, for moto, AWS_ENDPOINT_URL',
        ),
    registries: { system: 'registries', configured: true, endpoints: [npm, pypi, crates.indexUrl, crates.apiUrl] },
    smtp: config.smtp
      ? { system: 'smtp', configured: true, endpoints: [config.smtp.url] }
      : unconfigured('smtp', 'set CORDON_SMTP_URL (smtp://host:port) so notification packets can be e-mailed'),
    slack: extra.packetPoster
      ? { system: 'slack', configured: true, endpoints: [] }
      : unconfigured('slack', 'set SLACK_BOT_TOKEN for the worker'),
  };
}

/** Every GitHub action of the catalog, failing at once: no token is configured. */
export function githubNotConfigured(): ActionHandlers {
  return notConfigured(DEFAULT_ACTIONS, 'github', {
    type: FailureType.GitHubNotConfigured,
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
  // Only the handlers wired to configuration reach outside cordon; drill and incident handlers never do.
  const status = integrationStatus(config, extra);
  const isSandbox = (url: string): boolean => isSandboxEndpoint(url, config.sandboxUrls ?? []);
  const wired = markReach({ ...github, ...configuredAwsActivities(config.aws, octokit), ...notify }, (action) => {
    const systems = DEFAULT_ACTIONS[action]?.systems;
    return systems && { systems: systems.map((s) => status[s]), isSandbox };
  });
  const handlers: ActionHandlers = { ...createDrillActivities({ ledger }), ...createIncidentActivities(), ...wired };
  const missing = missingHandlers(DEFAULT_ACTIONS, handlers);
  if (missing.length > 0)
    throw new Error(`no handler for playbook action(s) ${missing.join(', ')} (a bug in worker/handlers.ts)`);
  return handlers;
}
