import { ApplicationFailure } from '@temporalio/common';
import { actionsOn, type ActionCatalog, type ActionSystem } from '../domain/actions';
import type { ActionHandlers } from '../activities/registry';

/**
 * Handlers for every catalog action on `system` that fail at once with a non-retryable error saying what to
 * configure, instead of leaving an incident retrying for hours. Derived from the catalog, so an action added to it
 * is covered without touching the worker.
 */
export function notConfigured(
  catalog: ActionCatalog,
  system: ActionSystem,
  failure: { type: string; message: string },
): ActionHandlers {
  const fail = async (): Promise<never> => {
    throw ApplicationFailure.create({ ...failure, nonRetryable: true });
  };
  return Object.fromEntries(
    actionsOn(catalog, system).map((name) => [
      name,
      catalog[name]?.mutates ? { plan: fail, apply: fail, undo: fail } : { run: fail },
    ]),
  );
}
