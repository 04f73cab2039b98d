import { isMap, isSeq } from 'yaml';
import { DEFAULT_ACTIONS, type ActionCatalog } from '../actions';
import { hashJson } from '../canonical-json';
import { parseDuration } from '../duration';
import {
  byPosition,
  parseWithPositions,
  pathText,
  type PathKey,
  type PositionedYaml,
  type YamlProblem,
} from '../text/yaml-positions';
import type { CompiledPlaybook, CompiledStep } from './compiled';
import { findReferences, parseReference } from './expressions';
import { checkFieldPath } from './output-fields';
import { PlaybookSchema, type Playbook } from './schema';

/** One problem in a playbook file, located by line and column (1-based) and by its path in the document. */
export type PlaybookProblem = YamlProblem;

/** The result of compiling a playbook: either the compiled plan with its hash, or every problem found. */
export type CompileResult =
  { ok: true; playbook: CompiledPlaybook; sha256: string } | { ok: false; problems: PlaybookProblem[] };

/**
 * Locates `needle` (the text of a `${…}` reference) inside the value at `path`, so a problem points at the
 * reference itself rather than at the field that holds it; falls back to {@link locate}.
 */
export function locateText(
  yaml: PositionedYaml,
  text: string,
  path: readonly PathKey[],
  needle: string,
): { line: number; col: number } {
  const node = yaml.doc.getIn(path, true) as { range?: [number, number, number] } | undefined;
  if (node && typeof node === 'object' && node.range) {
    const i = text.slice(node.range[0], node.range[1]).indexOf(needle);
    // Point at the `${` that opens the reference when it is right there.
    const open = i >= 2 && text.slice(node.range[0] + i - 2, node.range[0] + i) === '${' ? 2 : 0;
    if (i >= 0) return yaml.position(node.range[0] + i - open);
  }
  return yaml.locate(path);
}

/** What `compilePlaybook` checks besides the playbook itself. */
export interface CompileOptions {
  /** Approver groups that exist (from an approvers file); when given, every approval group must be one of them. */
  approverGroups?: readonly string[];
}

/**
 * Parses, validates and compiles a playbook's YAML text. Never throws on bad input: every problem is returned,
 * each with its line and column, so `cordon playbook validate` can print them all at once.
 */
export function compilePlaybook(
  text: string,
  file: string,
  catalog: ActionCatalog = DEFAULT_ACTIONS,
  options: CompileOptions = {},
): CompileResult {
  const yaml = parseWithPositions(text, file);
  const { doc } = yaml;
  const problems: PlaybookProblem[] = [];
  const at = (path: readonly PathKey[], message: string, needle?: string): void => {
    const pos = needle === undefined ? yaml.locate(path) : locateText(yaml, text, path, needle);
    problems.push({ file, ...pos, path: pathText(path), message });
  };
  const [first] = yaml.syntaxProblems();
  if (first) {
    // The first syntax error only: the parser's later errors follow from it (one unclosed bracket yields hundreds).
    const hint = /[{[][^}\]]*\$\{/.test(text.split('\n')[first.line - 1] ?? '')
      ? " (inside { } or [ ], quote expressions: '${…}')"
      : '';
    const more = doc.errors.length > 1 ? ' (later errors not shown: fix this one first)' : '';
    return { ok: false, problems: [{ ...first, message: `${first.message}${hint}${more}` }] };
  }
  if (!isMap(doc.contents) && !isSeq(doc.contents)) {
    return {
      ok: false,
      problems: [
        { file, line: 1, col: 1, path: '', message: 'expected a YAML mapping (apiVersion, kind, name, phases, steps)' },
      ],
    };
  }
  const parsed = PlaybookSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    problems.push(...yaml.issueProblems(parsed.error.issues));
    return { ok: false, problems };
  }
  checkSemantics(parsed.data, catalog, at);
  if (options.approverGroups) checkGroups(parsed.data, options.approverGroups, at);
  if (problems.length > 0) return { ok: false, problems: byPosition(problems) };
  const playbook = toCompiled(parsed.data, catalog);
  return { ok: true, playbook, sha256: hashJson(playbook) };
}

type At = (path: PathKey[], message: string, needle?: string) => void;

function checkGroups(pb: Playbook, groups: readonly string[], at: At): void {
  const known = new Set(groups);
  const list = [...known].sort().join(', ');
  pb.steps.forEach((s, i) => {
    const a = s.approval;
    if (a && !known.has(a.group))
      at(
        ['steps', i, 'approval', 'group'],
        `approver group "${a.group}" is not in the approvers file (groups: ${list})`,
      );
    if (a?.escalation && !known.has(a.escalation.group))
      at(
        ['steps', i, 'approval', 'escalation', 'group'],
        `escalation group "${a.escalation.group}" is not in the approvers file (groups: ${list})`,
      );
  });
}

function checkSemantics(pb: Playbook, catalog: ActionCatalog, at: At): void {
  const index = new Map<string, number>();
  pb.steps.forEach((s, i) => {
    if (index.has(s.id)) at(['steps', i, 'id'], `duplicate step id "${s.id}" (first at steps[${index.get(s.id)}])`);
    else index.set(s.id, i);
  });
  pb.steps.forEach((s, i) => {
    if (!pb.phases.includes(s.phase))
      at(['steps', i, 'phase'], `phase "${s.phase}" is not listed in phases (${pb.phases.join(', ')})`);
    s.needs.forEach((n, j) => {
      if (!index.has(n)) at(['steps', i, 'needs', j], `needs unknown step "${n}"`);
      if (n === s.id) at(['steps', i, 'needs', j], 'a step cannot need itself');
    });
    const spec = catalog[s.action];
    if (!spec) {
      at(['steps', i, 'action'], `unknown action "${s.action}" (known: ${Object.keys(catalog).sort().join(', ')})`);
    } else if (spec.mutates !== s.mutates) {
      at(
        ['steps', i, 'mutates'],
        `action "${s.action}" ${spec.mutates ? 'mutates' : 'does not mutate'}; set mutates: ${spec.mutates}`,
      );
    }
    const inputs = spec?.input ? Object.keys(spec.input.shape) : undefined;
    if (inputs)
      for (const k of Object.keys(s.inputs))
        if (!inputs.includes(k))
          at(['steps', i, 'inputs', k], `action "${s.action}" has no input "${k}" (inputs: ${inputs.join(', ')})`);
    if (s.mutates && !s.approval) at(['steps', i], 'a mutating step needs an approval policy');
    if (!s.mutates && s.approval) at(['steps', i, 'approval'], 'only mutating steps are approved');
    if (!s.mutates && s.undo) at(['steps', i, 'undo'], 'only mutating steps have an undo');
    if (s.undoOnStandDown !== undefined && !s.undo)
      at(['steps', i, 'undoOnStandDown'], 'undoOnStandDown applies only to a step that declares an undo');
    if (s.undo) {
      if (!catalog[s.undo.action]) at(['steps', i, 'undo', 'action'], `unknown undo action "${s.undo.action}"`);
      else if (spec?.undo && spec.undo !== s.undo.action) {
        at(['steps', i, 'undo', 'action'], `action "${s.action}" is undone by "${spec.undo}", not "${s.undo.action}"`);
      }
    } else if (s.mutates && spec?.undo) {
      at(
        ['steps', i],
        `action "${s.action}" can be undone by "${spec.undo}": declare undo (every reversible change must be)`,
      );
    }
  });
  const cycle = findCycle(pb);
  if (cycle) at(['steps', index.get(cycle[0]!) ?? 0, 'needs'], `needs form a cycle: ${cycle.join(' -> ')}`);
  else {
    pb.steps.forEach((s, i) => {
      const upstream = ancestors(pb, s.id);
      const check = (value: unknown, path: PathKey[]): void => {
        let refs;
        try {
          refs = findReferences(value);
        } catch (err) {
          at(path, (err as Error).message);
          return;
        }
        for (const r of refs) {
          if (r.root !== 'steps') continue;
          const [target, , ...fields] = r.path as [string, string, ...string[]];
          if (!upstream.has(target)) {
            at(
              path,
              `\${${r.text}} refers to step "${target}", which is not among this step's needs (direct or transitive)`,
              r.text,
            );
            continue;
          }
          // The output a reference reads is the action's output schema: a misspelt field would resolve to null.
          const action = pb.steps[index.get(target)!]?.action;
          const output = action ? catalog[action]?.output : undefined;
          if (!output) continue;
          const found = checkFieldPath(output, fields);
          if (!found.ok) {
            const where = ['output', ...fields.slice(0, found.depth)].join('.');
            at(path, `\${${r.text}}: ${target}'s ${where} (${action}) ${found.reason}`, r.text);
          }
        }
      };
      for (const [k, v] of Object.entries(s.inputs)) check(v, ['steps', i, 'inputs', k]);
      if (s.undo?.inputs)
        for (const [k, v] of Object.entries(s.undo.inputs)) check(v, ['steps', i, 'undo', 'inputs', k]);
      if (s.forEach) {
        try {
          parseReference(s.forEach.items.replace(/^\$\{\s*|\s*\}$/g, ''));
          check(s.forEach.items, ['steps', i, 'forEach', 'items']);
        } catch (err) {
          at(['steps', i, 'forEach', 'items'], (err as Error).message);
        }
      }
    });
  }
}

function ancestors(pb: Playbook, id: string): Set<string> {
  const byId = new Map(pb.steps.map((s) => [s.id, s]));
  const seen = new Set<string>();
  const stack = [...(byId.get(id)?.needs ?? [])];
  while (stack.length) {
    const n = stack.pop()!;
    if (seen.has(n)) continue;
    seen.add(n);
    stack.push(...(byId.get(n)?.needs ?? []));
  }
  return seen;
}

function findCycle(pb: Playbook): string[] | undefined {
  const byId = new Map(pb.steps.map((s) => [s.id, s]));
  const state = new Map<string, 'visiting' | 'done'>();
  const trail: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === 'done') return undefined;
    if (state.get(id) === 'visiting') return [...trail.slice(trail.indexOf(id)), id];
    state.set(id, 'visiting');
    trail.push(id);
    for (const n of byId.get(id)?.needs ?? []) {
      if (!byId.has(n)) continue;
      const c = visit(n);
      if (c) return c;
    }
    trail.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const s of pb.steps) {
    const c = visit(s.id);
    if (c) return c;
  }
  return undefined;
}

function toCompiled(pb: Playbook, catalog: ActionCatalog): CompiledPlaybook {
  // Topological order, stable with respect to the file's order.
  const done = new Set<string>();
  const ordered: CompiledStep[] = [];
  const remaining = [...pb.steps];
  while (remaining.length) {
    const i = remaining.findIndex((s) => s.needs.every((n) => done.has(n)));
    const s = remaining.splice(i, 1)[0]!;
    done.add(s.id);
    const step: CompiledStep = {
      id: s.id,
      phase: s.phase,
      name: s.name ?? s.id,
      action: s.action,
      needs: s.needs,
      inputs: s.inputs,
      mutates: s.mutates,
      irreversible: catalog[s.action]?.irreversible ?? false,
      onReject: s.onReject,
      continueOnError: s.continueOnError,
      timeoutMs: parseDuration(s.timeout),
      maxAttempts: s.maxAttempts,
    };
    if (s.undo) step.undo = { action: s.undo.action, inputs: s.undo.inputs ?? {} };
    // Only the opt-out is compiled, so playbooks that do not use it keep the plan (and sha256) they always had.
    if (s.undoOnStandDown === false) step.undoOnStandDown = false;
    if (s.forEach) step.forEach = { items: s.forEach.items, batchSize: s.forEach.batchSize };
    if (s.delay) step.delayMs = parseDuration(s.delay);
    if (s.approval) {
      const a = s.approval;
      step.approval = {
        group: a.group,
        quorum: a.quorum,
        separationOfDuties: a.separationOfDuties,
        timeoutMs: parseDuration(a.timeout),
        onExpiry: a.onExpiry,
      };
      // Only when stated: compiled plans (and so the sha256 of every existing playbook) stay as they were.
      if (a.proof) step.approval.proof = a.proof;
      if (a.escalation)
        step.approval.escalation = { group: a.escalation.group, timeoutMs: parseDuration(a.escalation.timeout) };
    }
    ordered.push(step);
  }
  const compiled: CompiledPlaybook = {
    name: pb.name,
    version: pb.version,
    description: pb.description ?? '',
    phases: pb.phases,
    steps: ordered,
  };
  // Only when stated, so that the compiled plan (and sha256) of a playbook without it stays as it was.
  if (pb.standDown) compiled.standDown = { ...pb.standDown };
  return compiled;
}
