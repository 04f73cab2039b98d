import type { OpenApiOperation } from './load-spec';

/** A request path matched to an operation of the description. */
export interface RouteMatch {
  operation: OpenApiOperation;
  /** Decoded path parameters by name. */
  params: Record<string, string>;
}

interface CompiledRoute {
  operation: OpenApiOperation;
  regex: RegExp;
  names: string[];
  literalChars: number;
}

/**
 * Matches `METHOD /path` to GitHub's path templates. Parameters flagged `x-multi-segment` (contents paths, tree
 * SHAs) and `ref` parameters (`heads/feature/x`, see https://docs.github.com/rest/git/refs#get-a-reference) may
 * contain slashes. When two templates match, the one with more literal text wins (`/git/trees/{sha}` over a
 * generic `{path}`), as GitHub's own router does.
 */
export class RouteMatcher {
  private readonly byMethod = new Map<string, CompiledRoute[]>();

  constructor(operations: OpenApiOperation[]) {
    for (const operation of operations) {
      const compiled = compile(operation);
      const list = this.byMethod.get(operation.method) ?? [];
      list.push(compiled);
      this.byMethod.set(operation.method, list);
    }
    for (const list of this.byMethod.values()) list.sort((a, b) => b.literalChars - a.literalChars);
  }

  /** The operation serving `method path` (path without query), or undefined when GitHub has no such route. */
  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.byMethod.get(method.toUpperCase()) ?? []) {
      const m = route.regex.exec(path);
      if (!m) continue;
      const params: Record<string, string> = {};
      try {
        route.names.forEach((name, i) => (params[name] = decodeURIComponent(m[i + 1] ?? '')));
      } catch {
        continue; // malformed percent-encoding cannot match this template
      }
      return { operation: route.operation, params };
    }
    return undefined;
  }

  /** Whether any method serves this path (distinguishes GitHub's 404 from its 405-ish answers). */
  hasPath(path: string): boolean {
    for (const list of this.byMethod.values()) if (list.some((r) => r.regex.test(path))) return true;
    return false;
  }
}

function compile(operation: OpenApiOperation): CompiledRoute {
  const multi = new Set(operation.parameters.filter((p) => p.in === 'path' && p['x-multi-segment']).map((p) => p.name));
  const names: string[] = [];
  let literalChars = 0;
  const source = operation.pathTemplate.replace(/\{([^}]+)\}|[^{]+/g, (token, name: string | undefined) => {
    if (name === undefined) {
      literalChars += token.length;
      return token.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
    }
    names.push(name);
    return multi.has(name) || name === 'ref' ? '(.+?)' : '([^/]+)';
  });
  return { operation, regex: new RegExp(`^${source}$`), names, literalChars };
}
