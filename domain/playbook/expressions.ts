/**
 * Step inputs refer to the incident and to earlier steps' outputs with `${…}` expressions:
 * `${incident.org}`, `${steps.identify-installs.output.exposedRepos}`. A string that is exactly one expression
 * takes the referenced value (any JSON); otherwise each expression is interpolated as text.
 */
const EXPR = /\$\{\s*([^}]+?)\s*\}/g;
const WHOLE = /^\$\{\s*([^}]+?)\s*\}$/;
const REF = /^(incident|steps)((?:\.[A-Za-z0-9_-]+)+)$/;

/** A parsed reference: the root and the dotted path below it. */
export interface Reference {
  root: 'incident' | 'steps';
  path: string[];
  text: string;
}

/** Every `${…}` reference in a value (strings inside objects and arrays included). */
export function findReferences(value: unknown): Reference[] {
  const out: Reference[] = [];
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      for (const m of v.matchAll(EXPR)) out.push(parseReference(m[1]!));
    } else if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') Object.values(v).forEach(visit);
  };
  visit(value);
  return out;
}

/** Parses the text inside `${…}`; throws when it names neither `incident.…` nor `steps.<id>.output…`. */
export function parseReference(text: string): Reference {
  const m = REF.exec(text.trim());
  if (!m)
    throw new SyntaxError(
      `bad reference \${${text}}: expected \${incident.<field>} or \${steps.<id>.output[.<field>…]}`,
    );
  const path = m[2]!.slice(1).split('.');
  if (m[1] === 'steps' && (path.length < 2 || path[1] !== 'output')) {
    throw new SyntaxError(`bad reference \${${text}}: expected \${steps.<id>.output[.<field>…]}`);
  }
  return { root: m[1] as Reference['root'], path, text };
}

/** Values that expressions are resolved against. */
export interface ExpressionScope {
  incident: Record<string, unknown>;
  steps: Record<string, { output?: unknown }>;
}

function lookup(scope: ExpressionScope, ref: Reference): unknown {
  let cur: unknown = ref.root === 'incident' ? scope.incident : scope.steps;
  for (const key of ref.path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** Resolves every expression in a step's inputs; unknown references resolve to `null`. Deterministic and pure. */
export function resolveExpressions(value: unknown, scope: ExpressionScope): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole) return lookup(scope, parseReference(whole[1]!)) ?? null;
    return value.replace(EXPR, (_, inner: string) => {
      const v = lookup(scope, parseReference(inner));
      return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
    });
  }
  if (Array.isArray(value)) return value.map((v) => resolveExpressions(v, scope));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveExpressions(v, scope)]));
  }
  return value;
}
