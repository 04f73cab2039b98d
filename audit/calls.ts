// What the mutating calls of a history did, checked against what was approved: a fanned-out apply's batches apply
// exactly the approved plan's items, each once; an undo only reverses a step whose apply completed, with exactly
// the effects that apply returned. The workflow does both by construction, so a mismatch means a tampered history
// (or a bug in the interpreter) — either way, changes nobody approved or an undo of something that never happened.
import { canonicalJson, hashJson } from '../domain/canonical-json';
import type { CompiledPlaybook } from '../domain/playbook/compiled';
import { mergeBatchResults } from '../workflows/merge';
import type { HistoryCall } from './history-facts';
import type { Violation } from './verify';

/** The fan-out a batch belongs to: its child workflow id without the batch index (`<incident>/<step>/<tag>`). */
export function fanOutOf(call: HistoryCall): string | undefined {
  const id = call.childWorkflowId;
  return id ? id.slice(0, id.lastIndexOf('/')) : undefined;
}

/**
 * What each completed call of `mode` returned, as the workflow saw it: an activity's result, or the results of a
 * fan-out's batches merged in batch order (only when every batch completed), with the last completion's event id.
 */
export function completedResults(
  calls: readonly HistoryCall[],
  mode: string,
): { stepId: string; completedEventId: number; result: unknown }[] {
  const out: { stepId: string; completedEventId: number; result: unknown }[] = [];
  const fanOuts = new Map<string, HistoryCall[]>();
  for (const c of calls.filter((x) => x.mode === mode)) {
    const key = c.batch ? fanOutOf(c) : undefined;
    if (key) fanOuts.set(key, [...(fanOuts.get(key) ?? []), c]);
    else if (c.completedEventId !== undefined)
      out.push({ stepId: c.stepId, completedEventId: c.completedEventId, result: c.result });
  }
  for (const parts of fanOuts.values()) {
    const of = parts[0]!.batch!.of;
    const sorted = [...parts].sort((a, b) => a.batch!.index - b.batch!.index);
    const whole = sorted.length === of && sorted.every((c, i) => c.batch!.index === i && c.batch!.of === of);
    if (!whole || sorted.some((c) => c.completedEventId === undefined)) continue;
    out.push({
      stepId: sorted[0]!.stepId,
      completedEventId: Math.max(...sorted.map((c) => c.completedEventId!)),
      result: mergeBatchResults(sorted.map((c) => c.result)),
    });
  }
  return out;
}

const shown = (v: unknown): string => {
  const s = canonicalJson(v ?? null);
  return s.length > 120 ? `${s.slice(0, 117)}...` : s;
};
const batchName = (b: { index: number; of: number } | undefined): string =>
  b ? `batch ${b.index + 1}/${b.of}` : 'a batch';

/**
 * Each fanned-out apply (in the parent history): batches 0..of-1 were each started once, and the items the batch
 * children applied (their apply activity's `plan.items`) are together exactly the items of the plan whose hash was
 * approved, each once. `children` maps a batch's child workflow id to the calls in its history; a child whose
 * history could not be read is absent (already a violation), and its fan-out's items are then not compared.
 */
export function checkFanOutApplies(
  calls: readonly HistoryCall[],
  children: ReadonlyMap<string, readonly HistoryCall[]>,
): Violation[] {
  const violations: Violation[] = [];
  const fail = (code: string, message: string): void => void violations.push({ code, message });
  const plans = completedResults(calls, 'plan');
  const fanOuts = new Map<string, HistoryCall[]>();
  for (const c of calls.filter((x) => x.mode === 'apply' && x.batch && x.childWorkflowId)) {
    const key = fanOutOf(c)!;
    fanOuts.set(key, [...(fanOuts.get(key) ?? []), c]);
  }
  for (const [key, parts] of fanOuts) {
    const { stepId, planHash } = parts[0]!;
    const where = `${parts[0]!.activity}:apply of step ${stepId}`;
    const of = Math.max(...parts.map((c) => c.batch!.of));
    for (const c of parts) {
      if (c.batch!.of !== of || c.batch!.index < 0 || c.batch!.index >= of || !Number.isInteger(c.batch!.index))
        fail(
          'ledger.batch-count-mismatch',
          `${where}: ${c.childWorkflowId} is ${batchName(c.batch)}, not one of ${of}`,
        );
      if (c.stepId !== stepId || c.planHash !== planHash)
        fail('ledger.batch-count-mismatch', `${where}: ${c.childWorkflowId} belongs to another step or plan`);
    }
    for (let i = 0; i < of; i++) {
      const n = parts.filter((c) => c.batch!.index === i).length;
      if (n === 0) fail('ledger.batch-missing', `${where}: batch ${i + 1}/${of} was never started (${key}/${i})`);
      if (n > 1) fail('ledger.batch-duplicate', `${where}: batch ${i + 1}/${of} was started ${n} times`);
    }
    if (parts.some((c) => !children.has(c.childWorkflowId!))) continue;
    const approved = plans.find((p) => p.stepId === stepId && hashJson(p.result) === planHash)?.result as
      { items?: unknown } | undefined;
    if (!approved || !Array.isArray(approved.items)) {
      fail(
        'ledger.batch-plan-unknown',
        `${where}: no plan in the history hashes to the approved ${String(planHash).slice(0, 12)}, so its batches' items cannot be checked`,
      );
      continue;
    }
    const left = new Map<string, number>();
    for (const item of approved.items) left.set(canonicalJson(item), (left.get(canonicalJson(item)) ?? 0) + 1);
    const approvedKeys = new Set(left.keys());
    for (const c of [...parts].sort((a, b) => a.batch!.index - b.batch!.index)) {
      for (const applied of children.get(c.childWorkflowId!)!.filter((x) => x.mode === 'apply')) {
        const label = `${where} ${batchName(applied.batch ?? c.batch)} (${c.childWorkflowId})`;
        const items = applied.plan?.items;
        if (!Array.isArray(items)) {
          fail('ledger.batch-items-unreadable', `${label}: its apply carries no plan items`);
          continue;
        }
        for (const item of items) {
          const k = canonicalJson(item);
          const n = left.get(k) ?? 0;
          if (n > 0) left.set(k, n - 1);
          else if (approvedKeys.has(k))
            fail('ledger.batch-item-duplicate', `${label}: applies ${shown(item)} again (approved once)`);
          else fail('ledger.batch-item-unapproved', `${label}: applies ${shown(item)}, which the approved plan lacks`);
        }
      }
    }
    for (const [k, n] of left) {
      if (n > 0)
        fail('ledger.batch-item-missing', `${where}: approved item ${shown(JSON.parse(k))} is applied by no batch`);
    }
  }
  return violations;
}

/**
 * Each undo: the playbook's undo action for its step, after that step's apply completed, at most once per step,
 * and given exactly the effects the apply returned (the saga passes them on; an undo told of other effects would
 * reverse changes that were never made, or leave made ones in place).
 */
export function checkUndos(calls: readonly HistoryCall[], playbook: CompiledPlaybook): Violation[] {
  const violations: Violation[] = [];
  const fail = (code: string, message: string): void => void violations.push({ code, message });
  const applied = completedResults(calls, 'apply');
  const undone = new Set<string>();
  for (const u of calls.filter((c) => c.mode === 'undo')) {
    const where = `${u.activity}:undo of step ${u.stepId} (event ${u.eventId})`;
    const step = playbook.steps.find((s) => s.id === u.stepId);
    if (step && step.undo?.action !== u.activity)
      fail(
        'ledger.undo-action-mismatch',
        `${where}: the playbook undoes ${u.stepId} with ${step.undo?.action ?? 'nothing'}`,
      );
    if (undone.has(u.stepId)) fail('ledger.undo-repeated', `${where}: step ${u.stepId} was already undone`);
    undone.add(u.stepId);
    const apply = applied.find((a) => a.stepId === u.stepId && a.completedEventId < u.eventId);
    if (!apply) {
      fail('ledger.undo-without-apply', `${where}: step ${u.stepId} has no apply that completed before it`);
      continue;
    }
    // The workflow records an apply that returned nothing as `{}`, and hands that to the undo.
    const effects = apply.result ?? {};
    if (hashJson(u.effects ?? null) !== hashJson(effects))
      fail(
        'ledger.undo-effects-mismatch',
        `${where}: undoes effects ${shown(u.effects)}, but the apply (completed at event ${apply.completedEventId}) returned ${shown(effects)}`,
      );
  }
  return violations;
}
