// Pre-flight: before an incident runs anything, every action of its playbook is checked against what the worker has
// configured, and a drill against where those actions would reach. Pure: the worker supplies what it knows.
import type { Integration } from './actions';
import type { CompiledStep } from './playbook/compiled';

/** What the worker knows about one system an action handler calls: configured (and where), or what to set. */
export type IntegrationReach =
  | { system: Integration; configured: true; endpoints: string[] }
  | { system: Integration; configured: false; hint: string };

/** What the handler of one action calls: its systems, and which endpoints a drill may call. */
export interface ActionReach {
  systems: readonly IntegrationReach[];
  /** Whether a drill may call this endpoint (loopback or a configured sandbox URL). */
  isSandbox(url: string): boolean;
}

/** One step as pre-flight sees it: the actions it may call (its own and its undo) and the groups it may ask. */
export interface PreflightStep {
  id: string;
  actions: string[];
  groups: string[];
}

/** What the workflow asks the worker to check. */
export interface PreflightRequest {
  drill: boolean;
  steps: PreflightStep[];
}

/** Why a piece is missing: not configured, an unknown approver group, or a drill that would reach a real system. */
export type PreflightProblemKind = 'not-configured' | 'unknown-group' | 'drill-real-endpoint';

/** One missing piece, as one line for the declarer, with the steps that need it. */
export interface PreflightProblem {
  kind: PreflightProblemKind;
  /** Stable name of the piece: `github`, `group:legal`, `aws@https://iam.amazonaws.com`. */
  piece: string;
  message: string;
  steps: string[];
}

/** The pre-flight answer; no problems means every step can run as the playbook says. */
export interface PreflightResult {
  problems: PreflightProblem[];
}

const LABELS: Record<Integration, string> = {
  github: 'GitHub',
  aws: 'AWS',
  registries: 'the package registries',
  smtp: 'SMTP',
  slack: 'Slack',
};

/** The steps of a compiled playbook as pre-flight checks them. */
export function preflightSteps(steps: readonly CompiledStep[]): PreflightStep[] {
  return steps.map((s) => ({
    id: s.id,
    actions: s.undo ? [s.action, s.undo.action] : [s.action],
    groups: s.approval ? [s.approval.group, ...(s.approval.escalation ? [s.approval.escalation.group] : [])] : [],
  }));
}

const LOOPBACK_V4 = /^127(\.\d{1,3}){3}$/;

/**
 * Whether an endpoint is a sandbox a drill may call: a loopback address (the sandbox organisation, moto, the SMTP
 * sink all listen there), or under one of the configured sandbox URLs (same scheme and host, path prefix).
 */
export function isSandboxEndpoint(url: string, sandboxUrls: readonly string[] = []): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1' || LOOPBACK_V4.test(host)) return true;
  return sandboxUrls.some((s) => {
    let p: URL;
    try {
      p = new URL(s);
    } catch {
      return false;
    }
    const prefix = p.pathname.replace(/\/+$/, '');
    return (
      p.protocol === u.protocol &&
      p.host.toLowerCase() === u.host.toLowerCase() &&
      (u.pathname === prefix || u.pathname.startsWith(`${prefix}/`) || prefix === '')
    );
  });
}

/** An endpoint as it may be shown and recorded: scheme, host and path, never credentials or a query. */
export function endpointLabel(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

/**
 * Checks every step of a playbook against what the worker serves. `reachOf` says which systems the handler of an
 * action calls (undefined for handlers that call nothing outside cordon: drill handlers, the incident's own) and,
 * for a drill, which endpoints are sandboxes; `unknownGroups` are the approver groups the worker could not resolve.
 * One problem per missing piece, naming every step that needs it.
 */
export function checkPreflight(
  req: PreflightRequest,
  reachOf: (action: string) => ActionReach | undefined,
  unknownGroups: ReadonlySet<string>,
): PreflightResult {
  const problems = new Map<string, PreflightProblem>();
  const add = (piece: string, kind: PreflightProblemKind, message: string, step: string): void => {
    const p = problems.get(piece) ?? { kind, piece, message, steps: [] };
    if (!p.steps.includes(step)) p.steps.push(step);
    problems.set(piece, p);
  };
  for (const step of req.steps) {
    for (const action of step.actions) {
      const reach = reachOf(action);
      for (const r of reach?.systems ?? []) {
        if (!r.configured) {
          add(r.system, 'not-configured', `${LABELS[r.system]} is not configured: ${r.hint}`, step.id);
          continue;
        }
        if (!req.drill) continue;
        for (const url of r.endpoints.filter((e) => !reach!.isSandbox(e))) {
          const shown = endpointLabel(url);
          add(
            `${r.system}@${shown}`,
            'drill-real-endpoint',
            `a drill may only call sandboxes, and ${LABELS[r.system]} is ${shown} ` +
              '(not a loopback address nor under CORDON_SANDBOX_URLS)',
            step.id,
          );
        }
      }
    }
    for (const group of step.groups.filter((g) => unknownGroups.has(g)))
      add(
        `group:${group}`,
        'unknown-group',
        `approver group "${group}" is not configured (CORDON_APPROVER_GROUPS_FILE, or a Slack user group)`,
        step.id,
      );
  }
  return { problems: [...problems.values()] };
}

/** The one line a declarer sees for a problem: the piece, then the steps that need it. */
export function preflightLine(p: PreflightProblem): string {
  return `${p.message} (needed by ${p.steps.join(', ')})`;
}

/**
 * Whether pre-flight refuses the incident. A drill that would reach a real system is always refused; missing
 * configuration is refused unless the declarer allowed it, and then the steps that need it are left to people.
 */
export function preflightRefuses(result: PreflightResult, allowMissing: boolean): boolean {
  return result.problems.some((p) => p.kind === 'drill-real-endpoint' || !allowMissing);
}

/** The steps a person does by hand when missing pieces were allowed: every step a missing piece names. */
export function manualSteps(result: PreflightResult): Set<string> {
  return new Set(result.problems.filter((p) => p.kind !== 'drill-real-endpoint').flatMap((p) => p.steps));
}
