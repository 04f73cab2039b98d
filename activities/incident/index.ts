import { ApplicationFailure } from '@temporalio/common';
import type { ActionHandlers } from '../registry';
import { FailureType } from '../../domain/failures';

interface DeclareInput {
  org?: string;
  packages?: { ecosystem: string; name: string; versions: string[] }[];
  since?: string;
  until?: string | null;
  advisoryIds?: string[];
}

const count = (v: unknown): number => (Array.isArray(v) ? v.length : 0);

/** The incident's own read-only actions: record the declaration, summarise for the close-out report. */
export function createIncidentActivities() {
  return {
    'incident.declare': {
      async run(input: DeclareInput) {
        if (!input.org || !input.packages?.length || !input.since) {
          throw ApplicationFailure.create({
            type: FailureType.BadDeclaration,
            message: 'a declaration needs org, at least one package and the start of the exposure window',
            nonRetryable: true,
          });
        }
        return {
          org: input.org,
          packages: input.packages,
          since: input.since,
          until: input.until ?? null,
          advisoryIds: input.advisoryIds ?? [],
        };
      },
    },
    'incident.report': {
      async run(input: { exposure?: Record<string, unknown> | null; ci?: Record<string, unknown> | null }) {
        const exposure = input.exposure ?? {};
        const ci = input.ci ?? {};
        return {
          exposedRepos: count(exposure.exposedRepos),
          findings: count(exposure.findings),
          runs: count(ci.runs),
          workflows: count(ci.workflows),
          runners: count(ci.runners),
          secrets: count(ci.secrets),
        };
      },
    },
  } satisfies ActionHandlers;
}

/** The handlers `createIncidentActivities` returns. */
export type IncidentActivities = ReturnType<typeof createIncidentActivities>;
