import { isMap, isSeq, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { DEFAULT_ACTIONS, type ActionCatalog } from '../actions';
import { hashJson } from '../canonical-json';
import { parseDuration } from '../duration';
import type { CompiledPlaybook, CompiledStep } from './compiled';
import { findReferences, parseReference } from './expressions';
import { PlaybookSchema, type Playbook } from './schema';

/** One problem in a playbook file, located by line and column (1-based) and by its path in the document. */
export interface PlaybookProblem {
  file: string;
  line: number;
  col: number;
  path: string;
  message: string;
}

/** The result of compiling a playbook: either the compiled plan with its hash, or every problem found. */
export type CompileResult =
  { ok: true; playbook: CompiledPlaybook; sha256: string } | { ok: false; problems: PlaybookProblem[] };

/** Formats a problem as `file:line:col: path: message`, the form editors and CI annotate. */
export function formatProblem(p: PlaybookProblem): string {
  return `${p.file}:${p.line}:${p.col}: ${p.path || '(document)'}: ${p.message}`;
}

/** A key or index on the way to a YAML node. */
export type PathKey = string | number;

/** `steps[2].approval.group`: a document path as people read it. */
export function pathText(path: readonly PathKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/** Locates the deepest node of `path` that exists in the document. */
export function locate(doc: Document, counter: LineCounter, path: readonly PathKey[]): { line: number; col: number } {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) {
      // For an existing key, point at the key itself rather than its value.
      const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : doc.contents;
      if (n > 0 && isMap(parent)) {
        const pair = parent.items.find((it) => (it.key as { value?: unknown } | null)?.value === path[n - 1]);
        const keyRange = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
        if (keyRange) return counter.linePos(keyRange[0]);
      }
      return counter.linePos(node.range[0]);
    }
  }
  return { line: 1, col: 1 };
}

/**
 * Parses, validates and compiles a playbook's YAML text. Never throws on bad input: every problem is returned,
 * each with its line and column, so `cordon playbook validate` can print them all at once.
 */
export function compilePlaybook(text: string, file: string, catalog: ActionCatalog = DEFAULT_ACTIONS): CompileResult {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const problems: PlaybookProblem[] = [];
  const at = (path: readonly PathKey[], message: string): void => {
    problems.push({ file, ...locate(doc, counter, path), path: pathText(path), message });
  };
  if (doc.errors.length > 0) {
    // One message per line: the parser reports every token after the first error on that line.
    const seen = new Set<number>();
    const lines = text.split('\n');
    for (const e of doc.errors) {
      const pos = counter.linePos(e.pos[0]);
      if (seen.has(pos.line)) continue;
      seen.add(pos.line);
      const hint = /[{[][^}\]]*\$\{/.test(lines[pos.line - 1] ?? '')
        ? " (inside { } or [ ], quote expressions: '${…}')"
        : '';
      problems.push({
        file,
        line: pos.line,
        col: pos.col,
        path: '',
        message: `YAML: ${e.message.split('\n')[0]}${hint}`,
      });
    }
    return { ok: false, problems };
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
    for (const issue of parsed.error.issues) {
      const path = issue.path as PathKey[];
      // Point at the first unknown key itself, not at the mapping that holds it.
      at(issue.code === 'unrecognized_keys' ? [...path, issue.keys[0]!] : path, describeIssue(issue));
    }
    return { ok: false, problems };
  }
  checkSemantics(parsed.data, catalog, at);
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.col - b.col) };
  const playbook = toCompiled(parsed.data, catalog);
  return { ok: true, playbook, sha256: hashJson(playbook) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown field(s) ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  return issue.message;
}

function checkSemantics(pb: Playbook, catalog: ActionCatalog, at: (path: PathKey[], message: string) => void): void {
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
    if (s.mutates && !s.approval) at(['steps', i], 'a mutating step needs an approval policy');
    if (!s.mutates && s.approval) at(['steps', i, 'approval'], 'only mutating steps are approved');
    if (!s.mutates && s.undo) at(['steps', i, 'undo'], 'only mutating steps have an undo');
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
          if (r.root === 'steps' && !upstream.has(r.path[0]!)) {
            at(
              path,
              `\${${r.text}} refers to step "${r.path[0]}", which is not among this step's needs (direct or transitive)`,
            );
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
  return { name: pb.name, version: pb.version, description: pb.description ?? '', phases: pb.phases, steps: ordered };
}
