import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parseDateRange } from '../date-range';
import { DOC_ID, loadGitHubOpenApi, type OpenApiOperation, type SchemaObject } from './load-spec';
import { RouteMatcher, type RouteMatch } from './route-matcher';

/** Why a request was refused before it reached a handler. */
export interface RequestRejection {
  status: 400 | 404 | 415 | 422;
  message: string;
  documentationUrl: string;
}

/** The parts of an incoming request the validator looks at. */
export interface IncomingRequestParts {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Raw body text; empty when there is none. */
  body: string;
  contentType: string | undefined;
}

/** A request that passed validation: its operation, typed-by-schema parameters and parsed JSON body. */
export interface ValidatedRequest extends RouteMatch {
  query: Record<string, unknown>;
  body: unknown;
}

/**
 * The query parameters whose published schema is narrower than what GitHub accepts. `created` on "List workflow
 * runs" is declared `format: date-time` but takes the search date syntax (`>=2026-06-17`, `a..b`), as its own
 * description says: https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository
 */
const PARAMETER_OVERRIDES: Record<string, SchemaObject> = {
  created: { type: 'string', format: 'github-date-range' },
};

const DOCS_ROOT = 'https://docs.github.com/rest';

/**
 * Validates requests (and, for tests, responses) against GitHub's OpenAPI description with Ajv. Validators are
 * compiled lazily per operation and cached; one instance is shared by every sandbox in the process.
 */
export class OpenApiValidator {
  private readonly matcher: RouteMatcher;
  /** Coerces query/path strings to the declared types, as GitHub's own parameter parsing does. */
  private readonly paramAjv = createAjv(true);
  private readonly bodyAjv = createAjv(false);
  private readonly paramValidators = new Map<string, ValidateFunction>();
  private readonly bodyValidators = new Map<string, ValidateFunction | null>();
  private readonly responseValidators = new Map<string, ValidateFunction | null>();

  constructor() {
    const spec = loadGitHubOpenApi();
    this.matcher = new RouteMatcher(spec.operations);
    const components = { $id: DOC_ID, components: spec.document.components };
    this.paramAjv.addSchema(components);
    this.bodyAjv.addSchema(components);
  }

  /** Matches and validates a request; a rejection carries GitHub's status and message. */
  validateRequest(req: IncomingRequestParts): { ok: ValidatedRequest } | { rejected: RequestRejection } {
    const match = this.matcher.match(req.method, req.path);
    if (!match) return { rejected: { status: 404, message: 'Not Found', documentationUrl: DOCS_ROOT } };
    const { operation } = match;
    const docs = operation.docsUrl;

    const params = this.paramValidator(operation);
    const pathParams: Record<string, unknown> = { ...match.params };
    const query: Record<string, unknown> = {};
    for (const key of new Set(req.query.keys())) {
      const all = req.query.getAll(key);
      query[key] = all.length > 1 ? all : all[0];
    }
    const candidate = { path: pathParams, query };
    if (!params(candidate))
      return { rejected: { status: 422, message: invalid(params.errors), documentationUrl: docs } };

    let body: unknown = undefined;
    const bodySchema = operation.requestBody?.content['application/json']?.schema;
    if (req.body.length > 0 || operation.requestBody?.required) {
      if (req.body.length === 0) {
        return {
          rejected: { status: 422, message: 'Invalid request.\n\nRequest body is required.', documentationUrl: docs },
        };
      }
      try {
        body = JSON.parse(req.body);
      } catch {
        return { rejected: { status: 400, message: 'Problems parsing JSON', documentationUrl: docs } };
      }
      if (bodySchema) {
        const validate = this.bodyValidator(operation.operationId, bodySchema);
        if (validate && !validate(body)) {
          return { rejected: { status: 422, message: invalid(validate.errors), documentationUrl: docs } };
        }
      }
    }
    return { ok: { operation, params: match.params, query, body } };
  }

  /**
   * Checks a JSON response body against the operation's schema for that status. Returns undefined when it
   * conforms (or the description has no JSON schema for it), else a readable error.
   */
  validateResponse(operation: OpenApiOperation, status: number, body: unknown): string | undefined {
    const key = `${operation.operationId} ${status}`;
    let validate = this.responseValidators.get(key);
    if (validate === undefined) {
      const response = operation.responses[String(status)] ?? operation.responses.default;
      const schema = response?.content?.['application/json']?.schema;
      // A top-level oneOf of error schemas (the 409 of a contents write: basic-error or repository-rule-violation-
      // error) can never hold: neither requires a field, so every error body matches both. Either one is meant.
      validate = schema ? this.bodyAjv.compile(anyOfForOneOf(schema)) : null;
      this.responseValidators.set(key, validate);
    }
    if (validate === null || validate(body)) return undefined;
    return ajvText(validate.errors);
  }

  /** The operation serving `method path`, without validating anything. */
  match(method: string, path: string): RouteMatch | undefined {
    return this.matcher.match(method, path);
  }

  /** Whether GitHub has any route at this path (used to answer 404 vs a method mismatch). */
  hasPath(path: string): boolean {
    return this.matcher.hasPath(path);
  }

  private paramValidator(operation: OpenApiOperation): ValidateFunction {
    const cached = this.paramValidators.get(operation.operationId);
    if (cached) return cached;
    const section = (where: 'path' | 'query'): SchemaObject => {
      const ps = operation.parameters.filter((p) => p.in === where);
      return {
        type: 'object',
        properties: Object.fromEntries(
          ps.map((p) => [p.name, PARAMETER_OVERRIDES[p.name] ?? anyOfForOneOf(p.schema ?? {})]),
        ),
        required: ps.filter((p) => p.required).map((p) => p.name),
      };
    };
    const validate = this.paramAjv.compile({
      type: 'object',
      properties: { path: section('path'), query: section('query') },
    });
    this.paramValidators.set(operation.operationId, validate);
    return validate;
  }

  private bodyValidator(operationId: string, schema: SchemaObject): ValidateFunction | null {
    let validate = this.bodyValidators.get(operationId);
    if (validate === undefined) {
      validate = this.bodyAjv.compile(schema);
      this.bodyValidators.set(operationId, validate);
    }
    return validate;
  }
}

let shared: OpenApiValidator | undefined;

/** The process-wide validator (the description is parsed once, validators compiled once per operation). */
export function sharedOpenApiValidator(): OpenApiValidator {
  shared ??= new OpenApiValidator();
  return shared;
}

function createAjv(coerce: boolean): Ajv {
  const ajv = new Ajv({
    strict: false,
    allErrors: false,
    validateSchema: false,
    logger: false,
    ...(coerce ? { coerceTypes: 'array' as const } : {}),
  });
  addFormats(ajv);
  // Formats GitHub's description uses that Ajv does not know; their types are already checked.
  for (const name of ['int32', 'int64', 'double', 'binary', 'repo.nwo', 'uri-template', 'timestamp']) {
    ajv.addFormat(name, true);
  }
  ajv.addFormat('github-date-range', (value: string) => parseDateRange(value) !== undefined);
  return ajv;
}

/**
 * `oneOf` read as `anyOf`, where GitHub's description means "either form": a parameter arrives as text, so under type
 * coercion `"1"` satisfies both branches of `oneOf: [integer, string]` (`workflow_id`); and error bodies satisfy
 * every branch of a `oneOf` of error schemas that require no field.
 */
function anyOfForOneOf(schema: SchemaObject): SchemaObject {
  if (!Array.isArray(schema.oneOf)) return schema;
  const { oneOf, ...rest } = schema;
  return { ...rest, anyOf: oneOf };
}

function invalid(errors: ErrorObject[] | null | undefined): string {
  return `Invalid request.\n\n${ajvText(errors)}`;
}

function ajvText(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map((e) => `${e.instancePath.replace(/^\/(path|query)/, '') || '(root)'} ${e.message ?? 'is invalid'}`)
    .join('\n');
}
