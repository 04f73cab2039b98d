import { TRIGGERS, type CompiledObligation, type Trigger } from './schema';

/** A fact recorded by a person (`cordon fact`), with who said so. */
export interface RecordedFact {
  fact: Trigger;
  by: string;
  at: string;
  note?: string;
}

/** The part of an incident's state that facts are derived from (a structural subset of IncidentState). */
export interface FactSource {
  steps: { status: string; output?: unknown; effects?: Record<string, unknown> }[];
  facts?: RecordedFact[];
}

const nonEmpty = (v: unknown): boolean => Array.isArray(v) && v.length > 0;

/**
 * Which triggers hold for an incident. Declared always; exposure confirmed once a step found exposed repos;
 * builds shipped once a step rolled back a production deployment built by an exposed run (it reached users);
 * personal data only when a person records it, since no scan can tell. Recorded facts hold whatever the steps say.
 */
export function incidentFacts(src: FactSource): Set<Trigger> {
  const facts = new Set<Trigger>(['incident-declared']);
  for (const f of src.facts ?? []) facts.add(f.fact);
  for (const s of src.steps) {
    if (s.status !== 'succeeded' && s.status !== 'compensated') continue;
    const out = (s.output ?? {}) as Record<string, unknown>;
    if (nonEmpty(out.exposedRepos)) facts.add('exposure-confirmed');
    const rolledBack = (s.effects?.rolledBack ?? []) as { environment?: string }[];
    if (Array.isArray(rolledBack) && rolledBack.some((r) => /prod/i.test(r.environment ?? '')))
      facts.add('build-shipped');
  }
  return facts;
}

/** Obligations whose trigger holds and that have not started yet, in file order. */
export function newlyTriggered(
  obligations: readonly CompiledObligation[],
  facts: ReadonlySet<Trigger>,
  started: ReadonlySet<string>,
): CompiledObligation[] {
  return obligations.filter((o) => facts.has(o.trigger) && !started.has(o.id));
}

/** Whether a string names a trigger (for the `recordFact` update's validator and the CLI). */
export function isTrigger(v: unknown): v is Trigger {
  return typeof v === 'string' && (TRIGGERS as readonly string[]).includes(v);
}
