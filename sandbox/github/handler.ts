import type { SecretKeyring } from './sealed-box';
import type { RepoState, SandboxState } from './state';

/** Everything a route handler may use; handlers are synchronous functions of the state and the request. */
export interface HandlerContext {
  state: SandboxState;
  keyring: SecretKeyring;
  /** Path parameters as matched by the OpenAPI template (strings, undecoded types). */
  params: Record<string, string>;
  /** Query parameters coerced to their declared types by the validator. */
  query: Record<string, unknown>;
  /** The parsed JSON body (already schema-checked). */
  body: unknown;
  accept: string;
  /** Absolute base URL of the sandbox API, e.g. `http://127.0.0.1:41234`. */
  baseUrl: string;
  now(): Date;
  /** The repository named by `{owner}/{repo}`, or a 404. */
  repo(): RepoState;
  /** Asserts `{org}` names the sandbox organisation, else a 404. */
  org(): void;
  /** Cuts a list to the requested page and sets the `link` header. */
  page<T>(items: T[]): T[];
}

/** What a handler answers: JSON `body`, or `raw` bytes with their content type; no body for 204. */
export interface HandlerResult {
  status: number;
  body?: unknown;
  raw?: { contentType: string; data: string | Buffer };
  headers?: Record<string, string>;
}

/** A route handler. */
export type Handler = (ctx: HandlerContext) => HandlerResult;

/** Handlers keyed by GitHub's operationId (`repos/get`, `git/get-tree`…): the OpenAPI match picks the handler. */
export type RouteTable = Record<string, Handler>;

/** 200 with a JSON body. */
export function ok(body: unknown): HandlerResult {
  return { status: 200, body };
}

/** 204 No Content. */
export function noContent(): HandlerResult {
  return { status: 204 };
}
