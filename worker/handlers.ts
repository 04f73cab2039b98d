import { ApplicationFailure, type Logger as TemporalLogger } from '@temporalio/common';
import type { Logger } from 'pino';
import { DrillLedger, drillActions } from '../activities/drill';
import { orgExposureActions } from '../activities/exposure/org-actions';
import { createGitHubActivities, createGitHubClient } from '../activities/github';
import { incidentActions } from '../activities/incident';
import type { ActionHandlers } from '../activities/registry';
import type { CordonConfig } from './config';

const GITHUB_ACTIONS = ['github.listRepos', 'exposure.identifyInstalls', 'github.collectCiExposure'];

function githubNotConfigured(): ActionHandlers {
  const fail = async (): Promise<never> => {
    throw ApplicationFailure.create({
      type: 'GITHUB_NOT_CONFIGURED',
      message: 'GitHub is not configured: set GITHUB_TOKEN (and GITHUB_API_URL for GitHub Enterprise or the sandbox)',
      nonRetryable: true,
    });
  };
  return Object.fromEntries(GITHUB_ACTIONS.map((a) => [a, { run: fail }])) as ActionHandlers;
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

/** Every playbook action handler the worker serves, wired to the configured clients. */
export function defaultHandlers(config: CordonConfig, logger: Logger): ActionHandlers {
  const ledger = new DrillLedger(config.drillLedger);
  const github = config.github
    ? orgExposureActions(
        createGitHubActivities({
          octokit: createGitHubClient({
            token: config.github.token,
            baseUrl: config.github.apiUrl,
            logger: temporalLogger(logger),
          }),
        }),
      )
    : githubNotConfigured();
  return { ...drillActions(ledger), ...incidentActions(), ...github };
}
