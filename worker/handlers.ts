import type { Logger } from 'pino';
import { DrillLedger, drillActions } from '../activities/drill';
import { incidentActions } from '../activities/incident';
import type { ActionHandlers } from '../activities/registry';
import type { CordonConfig } from './config';

/** Every playbook action handler the worker serves, wired to the configured clients. */
export function defaultHandlers(config: CordonConfig, _logger: Logger): ActionHandlers {
  const ledger = new DrillLedger(config.drillLedger);
  return { ...drillActions(ledger), ...incidentActions() };
}
