import { z } from 'zod';
import { API_ROUTES, AUTH_COOKIE, TRoute, ZErrorBody } from '@chatbox/contracts';

type JsonSchema = Record<string, unknown> & { properties?: Record<string, unknown>; required?: string[] };

/** `/api/...` with OpenAPI's `{name}` parameters, from a route's `:name` path. */
export const openApiPath = (route: TRoute): string => `/api${route.path.replace(/:(\w+)/g, '{$1}')}`;

/**
 * The OpenAPI 3.1 document of the REST api, generated from the contract's route list and zod
 * schemas (API_ROUTES): OpenAPI 3.1 schemas are JSON Schema 2020-12, which zod writes itself.
 * Bodies and queries are described as the api takes them, answers as it gives them.
 */
export function openApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of API_ROUTES) (paths[openApiPath(route)] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'ChatBox API', version, description: 'REST half of the ChatBox contract; realtime events travel over Socket.IO (see API.md).' },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        cookie: { type: 'apiKey', in: 'cookie', name: AUTH_COOKIE },
      },
      schemas: { Error: schemaOf(ZErrorBody, 'output') },
    },
    paths,
  };
}

function operation(route: TRoute): Record<string, unknown> {
  const parameters: Array<Record<string, unknown>> = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({
    name: m[1],
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }));
  if (route.query) {
    const query = schemaOf(route.query, 'input');
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema });
    }
  }
  const error = { description: 'An error (see API.md "Errors")', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const success: Record<string, unknown> = { description: route.summary };
  if (route.response) success.content = { 'application/json': { schema: schemaOf(route.response, 'output') } };
  else if (route.contentType) success.content = { [route.contentType]: { schema: { type: 'string', contentMediaType: route.contentType } } };
  const op: Record<string, unknown> = {
    operationId: `${route.method.toLowerCase()}${route.path.replace(/[/:](\w)/g, (_, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '')}`,
    summary: route.summary,
    parameters,
    responses: { [String(route.status)]: success, default: error },
  };
  if (route.body) op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
  if (route.fileField) {
    const schema = { type: 'object', required: [route.fileField], properties: { [route.fileField]: { type: 'string', contentMediaType: 'application/octet-stream' } } };
    op.requestBody = { required: true, content: { 'multipart/form-data': { schema } } };
  }
  if (route.auth) op.security = [{ bearer: [] }, { cookie: [] }];
  return op;
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema; // the document's dialect is already 2020-12
  return json;
}
