import { readFileSync } from 'node:fs';

/** A JSON Schema / OpenAPI object, loosely typed: the description is data, not code. */
export type SchemaObject = Record<string, unknown>;

/** One OpenAPI parameter, with `$ref`s already resolved. */
export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: SchemaObject;
  'x-multi-segment'?: boolean;
}

/** One operation of GitHub's REST description, with the bits the sandbox needs. */
export interface OpenApiOperation {
  operationId: string;
  method: string;
  pathTemplate: string;
  /** The operation's page on docs.github.com, used as `documentation_url` in error bodies. */
  docsUrl: string;
  parameters: OpenApiParameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema?: SchemaObject }> };
  responses: Record<string, { content?: Record<string, { schema?: SchemaObject }> }>;
}

/** The loaded description: the (nullable-converted) document plus its operations. */
export interface GitHubOpenApi {
  document: SchemaObject;
  operations: OpenApiOperation[];
}

/** The id under which the document is registered with Ajv; every `$ref` in the loaded document is `gh#/…`. */
export const DOC_ID = 'gh';

const SPEC_PATH = require.resolve('@octokit/openapi/generated/api.github.com.json');
let cached: GitHubOpenApi | undefined;

/**
 * Loads GitHub's published OpenAPI description once per process (13 MB, ~0.3 s) and indexes its operations.
 * `nullable: true` (OpenAPI 3.0) becomes `anyOf: [schema, {type: 'null'}]`, because Ajv only accepts `nullable`
 * next to `type` and ~135 GitHub schemas put it next to `allOf`/`$ref` instead.
 */
export function loadGitHubOpenApi(): GitHubOpenApi {
  if (cached) return cached;
  const raw = JSON.parse(readFileSync(SPEC_PATH, 'utf8')) as SchemaObject;
  const document = convertNullable(raw) as SchemaObject;
  cached = { document, operations: indexOperations(document) };
  return cached;
}

function convertNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(convertNullable);
  if (node === null || typeof node !== 'object') return node;
  const out: SchemaObject = {};
  for (const [key, value] of Object.entries(node as SchemaObject)) {
    if (key === 'nullable' || key === 'example' || key === 'examples') continue;
    // Local refs become absolute (`gh#/…`) so a schema compiled on its own still resolves into the document.
    out[key] =
      key === '$ref' && typeof value === 'string' && value.startsWith('#/')
        ? `${DOC_ID}${value}`
        : convertNullable(value);
  }
  if ((node as SchemaObject).nullable === true) {
    const { description, ...rest } = out;
    return { ...(description === undefined ? {} : { description }), anyOf: [rest, { type: 'null' }] };
  }
  return out;
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head'];

function indexOperations(doc: SchemaObject): OpenApiOperation[] {
  const paths = doc.paths as Record<string, Record<string, SchemaObject>>;
  const operations: OpenApiOperation[] = [];
  for (const [pathTemplate, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const parameters = ((op.parameters ?? []) as SchemaObject[]).map(
        (p) => resolveRef(doc, p) as unknown as OpenApiParameter,
      );
      const requestBody = op.requestBody
        ? (resolveRef(doc, op.requestBody as SchemaObject) as SchemaObject)
        : undefined;
      const responses: OpenApiOperation['responses'] = {};
      for (const [status, response] of Object.entries((op.responses ?? {}) as Record<string, SchemaObject>)) {
        responses[status] = resolveRef(doc, response) as OpenApiOperation['responses'][string];
      }
      operations.push({
        operationId: op.operationId as string,
        method: method.toUpperCase(),
        pathTemplate,
        docsUrl:
          ((op.externalDocs as SchemaObject | undefined)?.url as string | undefined) ?? 'https://docs.github.com/rest',
        parameters,
        ...(requestBody ? { requestBody: requestBody as unknown as NonNullable<OpenApiOperation['requestBody']> } : {}),
        responses,
      });
    }
  }
  return operations;
}

/** Follows a document `$ref` (`gh#/components/...`) one level; the description never chains parameter refs. */
export function resolveRef(doc: SchemaObject, node: SchemaObject): SchemaObject {
  const ref = node.$ref;
  if (typeof ref !== 'string') return node;
  let cur: unknown = doc;
  for (const part of ref.replace(/^[^#]*#\//, '').split('/')) cur = (cur as SchemaObject)[part.replace(/~1/g, '/')];
  return cur as SchemaObject;
}
