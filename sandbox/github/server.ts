import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, GitHubHttpError, notFound } from './errors';
import type { HandlerContext, HandlerResult } from './handler';
import { sharedOpenApiValidator } from './openapi/validator';
import { normalizeOrgSpec, type OrgSpec } from './org-spec';
import { paginate } from './pagination';
import { RateLimiter, type InjectedRateLimit, type RateLimitRule } from './rate-limit';
import { routes } from './routes';
import { SecretKeyring, type SecretScope } from './sealed-box';
import { SandboxState } from './state';

/** Options of `startGitHubSandbox`. */
export interface GitHubSandboxOptions {
  /** The organisation to serve (a typed spec, or the result of `parseOrgSpecYaml`). */
  org: OrgSpec;
  /** Tokens accepted in `Authorization: Bearer|token <token>`; anything else is a 401. */
  tokens: string[];
  /** @default 0 (an ephemeral port) */
  port?: number;
  /** Requests per hour per token for the `core` resource. @default 5000 */
  rateLimit?: number;
  /** Check every JSON response against the operation's response schema too. @default true */
  validateResponses?: boolean;
  /** Clock for timestamps the sandbox writes. @default () => new Date() */
  now?: () => Date;
}

/** One request the sandbox received. */
export interface RecordedRequest {
  method: string;
  /** Path as sent (before `/repositories/{id}` aliases are resolved). */
  path: string;
  query: Record<string, string>;
  /** GitHub's operationId, when the request matched the description. */
  operationId: string | undefined;
  status: number;
  /** The repository the request addressed, when any (`owner/name`). */
  repo: string | undefined;
}

/** A request that did not conform to GitHub's description, or a response of the sandbox that did not. */
export interface ValidationFailure {
  kind: 'request' | 'response';
  method: string;
  path: string;
  operationId: string | undefined;
  status: number;
  message: string;
}

/** A running sandbox GitHub. */
export interface GitHubSandbox {
  /** Base URL to give Octokit as `baseUrl`, e.g. `http://127.0.0.1:41234`. */
  url: string;
  state: SandboxState;
  requests: RecordedRequest[];
  validationFailures: ValidationFailure[];
  /** Makes upcoming requests fail with a primary or secondary rate limit. */
  injectRateLimit(rule: RateLimitRule): InjectedRateLimit;
  /** Test-only: the plaintext of a secret (as seeded, or as decrypted from a PUT). */
  secretValue(scope: SecretScope, name: string): string | undefined;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 50 * 1024 * 1024;

/**
 * Starts a stateful GitHub REST server for a simulated organisation on 127.0.0.1. Every request is matched and
 * validated against GitHub's published OpenAPI description before a handler sees it.
 */
export async function startGitHubSandbox(options: GitHubSandboxOptions): Promise<GitHubSandbox> {
  await SecretKeyring.ready();
  const validator = sharedOpenApiValidator();
  const state = new SandboxState(normalizeOrgSpec(options.org));
  const keyring = new SecretKeyring();
  const now = options.now ?? (() => new Date());
  const limiter = new RateLimiter(options.rateLimit ?? 5000, () => now().getTime());
  const tokens = new Set(options.tokens);
  const validateResponses = options.validateResponses ?? true;
  const requests: RecordedRequest[] = [];
  const validationFailures: ValidationFailure[] = [];
  let baseUrl = '';
  let requestCounter = 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const body = await readBody(req);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', baseUrl);
    const sentPath = url.pathname;
    const requestId = `CD${(++requestCounter).toString(16).toUpperCase().padStart(6, '0')}:SANDBOX`;
    const common: Record<string, string> = {
      'x-github-request-id': requestId,
      'x-github-api-version-selected': '2022-11-28',
      'x-github-media-type': 'github.v3; format=json',
    };
    const record = (status: number, operationId: string | undefined, repo: string | undefined): void => {
      requests.push({ method, path: sentPath, query: Object.fromEntries(url.searchParams), operationId, status, repo });
    };
    const sendError = (
      status: number,
      message: string,
      docs: string,
      extra: Record<string, unknown> = {},
      headers = {},
    ) => {
      send(res, status, { ...common, ...headers }, errorBody(status, message, docs, extra));
    };

    if (sentPath.startsWith('/_blob/')) {
      // The storage host GitHub redirects log/artifact downloads to: no API auth, signed URLs instead.
      send(res, 200, { 'content-type': 'application/zip' }, undefined, Buffer.from('PK\x05\x06'.padEnd(22, '\0')));
      return;
    }
    const path = resolveIdAliases(state, sentPath);
    const repoName = /^\/repos\/[^/]+\/([^/]+)/.exec(path)?.[1];
    const repoLabel = repoName ? `${state.org.login}/${repoName}` : undefined;

    const token = /^(?:bearer|token)\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (!token || !tokens.has(token)) {
      record(401, undefined, repoLabel);
      sendError(401, token ? 'Bad credentials' : 'Requires authentication', 'https://docs.github.com/rest');
      return;
    }

    const validated = validator.validateRequest({
      method,
      path,
      query: url.searchParams,
      body: body.toString('utf8'),
      contentType: req.headers['content-type'],
    });
    if ('rejected' in validated) {
      const r = validated.rejected;
      const operationId = validator.match(method, path)?.operation.operationId;
      validationFailures.push({
        kind: 'request',
        method,
        path: sentPath,
        operationId,
        status: r.status,
        message: r.message,
      });
      record(r.status, operationId, repoLabel);
      sendError(r.status, r.message, r.documentationUrl, {}, limiter.headers(token));
      return;
    }
    const { operation } = validated.ok;

    const refusal = limiter.admit({
      token,
      method,
      path,
      operationId: operation.operationId,
      pathTemplate: operation.pathTemplate,
    });
    if (refusal) {
      record(refusal.status, operation.operationId, repoLabel);
      sendError(refusal.status, refusal.message, refusal.documentationUrl, {}, refusal.headers);
      return;
    }

    const headers: Record<string, string> = { ...common, ...limiter.headers(token) };
    const ctx: HandlerContext = {
      state,
      keyring,
      params: validated.ok.params,
      query: validated.ok.query,
      body: validated.ok.body,
      accept: req.headers.accept ?? '',
      baseUrl,
      now,
      repo: () => {
        const repo = state.repo(validated.ok.params.owner ?? '', validated.ok.params.repo ?? '');
        if (!repo) throw notFound();
        return repo;
      },
      org: () => {
        if ((validated.ok.params.org ?? '').toLowerCase() !== state.org.login.toLowerCase()) throw notFound();
      },
      page: (items) => {
        const page = paginate(items, url.searchParams, `${baseUrl}${linkPath(state, path)}`);
        if (page.link) headers.link = page.link;
        return page.items;
      },
    };

    let result: HandlerResult;
    const handler = routes[operation.operationId];
    try {
      if (!handler) throw new GitHubHttpError(501, `The sandbox does not implement ${operation.operationId}`);
      result = handler(ctx);
    } catch (err) {
      const e =
        err instanceof GitHubHttpError ? err : new GitHubHttpError(500, `sandbox handler failed: ${String(err)}`);
      if (!(err instanceof GitHubHttpError)) {
        validationFailures.push({
          kind: 'response',
          method,
          path: sentPath,
          operationId: operation.operationId,
          status: 500,
          message: e.message,
        });
      }
      result = { status: e.status, body: errorBody(e.status, e.message, operation.docsUrl, e.extra) };
    }
    if (validateResponses && result.body !== undefined && !result.raw) {
      const problem = validator.validateResponse(operation, result.status, result.body);
      if (problem) {
        validationFailures.push({
          kind: 'response',
          method,
          path: sentPath,
          operationId: operation.operationId,
          status: result.status,
          message: problem,
        });
      }
    }
    record(result.status, operation.operationId, repoLabel);
    send(res, result.status, { ...headers, ...result.headers }, result.body, result.raw?.data, result.raw?.contentType);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, {}, errorBody(500, String(err), 'https://docs.github.com/rest'));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    state,
    requests,
    validationFailures,
    injectRateLimit: (rule) => limiter.inject(rule),
    secretValue: (scope, name) => secretsOf(state, scope)?.get(name)?.value,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function secretsOf(state: SandboxState, scope: SecretScope) {
  if ('org' in scope) return state.orgSecrets;
  const repo = state.repo(state.org.login, scope.repo);
  if ('environment' in scope) return repo?.environments.get(scope.environment)?.secrets;
  return repo?.secrets;
}

/**
 * GitHub's `link` headers name repositories and organisations by id (`/repositories/42/actions/runs?page=2`,
 * `/organizations/7/repos?page=2`); those paths are not in the OpenAPI description, so they are mapped back to
 * the `/repos/{owner}/{repo}` and `/orgs/{org}` routes they stand for.
 */
function resolveIdAliases(state: SandboxState, path: string): string {
  const repoAlias = /^\/repositories\/(\d+)(\/.*)?$/.exec(path);
  if (repoAlias) {
    const repo = [...state.repos.values()].find((r) => r.id === Number(repoAlias[1]));
    if (repo) return `/repos/${state.org.login}/${repo.name}${repoAlias[2] ?? ''}`;
  }
  const orgAlias = /^\/organizations\/(\d+)(\/.*)?$/.exec(path);
  if (orgAlias && Number(orgAlias[1]) === state.org.id) return `/orgs/${state.org.login}${orgAlias[2] ?? ''}`;
  return path;
}

/** The id-based path GitHub uses in `link` headers for a canonical path. */
function linkPath(state: SandboxState, path: string): string {
  const repo = /^\/repos\/([^/]+)\/([^/]+)(\/.*)?$/.exec(path);
  if (repo) {
    const r = state.repo(repo[1] ?? '', repo[2] ?? '');
    if (r) return `/repositories/${r.id}${repo[3] ?? ''}`;
  }
  const org = /^\/orgs\/[^/]+(\/.*)?$/.exec(path);
  if (org) return `/organizations/${state.org.id}${org[1] ?? ''}`;
  return path;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(
  res: ServerResponse,
  status: number,
  headers: Record<string, string>,
  json: unknown,
  raw?: string | Buffer,
  rawType?: string,
): void {
  let payload: string | Buffer | undefined;
  if (raw !== undefined) {
    payload = raw;
    headers['content-type'] ??= rawType ?? 'application/octet-stream';
  } else if (json !== undefined) {
    payload = JSON.stringify(json);
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  res.writeHead(status, {
    ...headers,
    ...(payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) }),
  });
  res.end(payload);
}
