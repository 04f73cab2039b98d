import type { CompiledPlaybook } from './compiled';

/**
 * The approver groups that decide what happens to a failed step (retry or skip). A step with an approval policy is
 * decided by its own group. A read-only step has none, so it is decided by those who approve the steps that consume
 * its output (its dependants, transitively): they are the ones whose decisions a retry or a skip feeds. A step that
 * no approved step depends on falls back to every approver group of the playbook. Groups come in playbook order.
 */
export function failureDecisionGroups(playbook: CompiledPlaybook, stepId: string): string[] {
  const step = playbook.steps.find((s) => s.id === stepId);
  if (step?.approval) return [step.approval.group];
  const downstream = new Set<string>([stepId]);
  // Steps are in topological order, so one pass collects every transitive dependant.
  for (const s of playbook.steps) if (s.needs.some((n) => downstream.has(n))) downstream.add(s.id);
  const groupsOf = (ids: (id: string) => boolean): string[] => [
    ...new Set(playbook.steps.filter((s) => ids(s.id) && s.approval).map((s) => s.approval!.group)),
  ];
  const fromDependants = groupsOf((id) => id !== stepId && downstream.has(id));
  return fromDependants.length > 0 ? fromDependants : groupsOf(() => true);
}

/** The undos a stand-down would run now, in the order it would run them, and the applied steps it leaves in place. */
export interface StandDownPreview {
  undos: { stepId: string; action: string }[];
  kept: { stepId: string; reason: string }[];
}

/**
 * What a stand-down would undo, given the steps applied so far (in the order they were applied): their undos in
 * reverse, except steps that opted out with `undoOnStandDown: false`.
 */
export function standDownPreview(playbook: CompiledPlaybook, appliedInOrder: readonly string[]): StandDownPreview {
  const byId = new Map(playbook.steps.map((s) => [s.id, s]));
  const preview: StandDownPreview = { undos: [], kept: [] };
  for (const id of [...appliedInOrder].reverse()) {
    const step = byId.get(id);
    if (!step?.undo) continue;
    if (step.undoOnStandDown === false) preview.kept.push({ stepId: id, reason: 'undoOnStandDown: false' });
    else preview.undos.push({ stepId: id, action: step.undo.action });
  }
  return preview;
}

/** Who decides a stand-down, how many, and with which proof. */
export interface StandDownPolicy {
  group: string;
  quorum: number;
  proof: 'signed' | 'slack';
}

// Groups whose name says they lead the response, in the order a playbook is likely to name them.
const LEADS = /lead|commander|incident|ic\b/;

/**
 * The stand-down policy of a playbook: its `standDown`, else quorum 1 with a signature from the first approver or
 * escalation group whose name says it leads the response (`security-leads`), else the first approver group.
 * Undefined when the playbook names no group at all: nobody could approve, so stand-down is refused.
 */
export function standDownPolicy(playbook: CompiledPlaybook): StandDownPolicy | undefined {
  if (playbook.standDown) return playbook.standDown;
  const groups = playbook.steps.flatMap((s) =>
    s.approval ? [s.approval.group, ...(s.approval.escalation ? [s.approval.escalation.group] : [])] : [],
  );
  const group = groups.find((g) => LEADS.test(g)) ?? groups[0];
  return group ? { group, quorum: 1, proof: 'signed' } : undefined;
}
