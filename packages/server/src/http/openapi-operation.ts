/**
 * @module Builds one OpenAPI operation from a short description: scope (as `x-scope` and `security`), the success
 * answers, and the error answers, taken from the shared error responses so every route documents the same model.
 */
import { ERROR_RESPONSES, type Json, type JsonObject, ref } from './openapi-components.js'
import type { Access } from './route.js'

export interface OperationSpec {
  readonly id: string
  readonly tag: string
  readonly summary: string
  readonly description?: string
  readonly scope: Access
  readonly params?: readonly Json[]
  readonly body?: JsonObject
  /** Success responses by status. */
  readonly ok: Readonly<Record<string, JsonObject>>
  /** Error statuses the route answers besides the ones every protected route has (401, 403, 429, 500). */
  readonly errors?: readonly string[]
}

const SCOPE_TEXT: Readonly<Record<Access, string>> = {
  public: 'Public: no token.',
  read: 'Scope: read or admin.',
  ingest: 'Scope: ingest (bound lists only) or admin.',
  admin: 'Scope: admin.',
}

export function operation(spec: OperationSpec): JsonObject {
  const statuses = new Set(spec.errors ?? [])
  if (spec.scope !== 'public') for (const s of ['401', '403', '429']) statuses.add(s)
  statuses.add('500')
  const responses: Record<string, Json> = { ...spec.ok }
  for (const status of [...statuses].sort()) {
    const response = ERROR_RESPONSES[status]
    if (response === undefined) throw new Error(`no shared error response for ${status}`)
    responses[status] = response
  }
  return {
    operationId: spec.id,
    tags: [spec.tag],
    summary: spec.summary,
    description: `${spec.description ?? spec.summary} ${SCOPE_TEXT[spec.scope]}`.trim(),
    'x-scope': spec.scope,
    security: spec.scope === 'public' ? [] : [{ bearer: [] }, { conserverToken: [] }],
    ...(spec.params === undefined ? {} : { parameters: spec.params }),
    ...(spec.body === undefined ? {} : { requestBody: spec.body }),
    responses,
  }
}

export const json = (schema: Json, description: string, headers?: JsonObject): JsonObject => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: { 'application/json': { schema } },
})

export const query = (
  name: string,
  description: string,
  schema: JsonObject = { type: 'string' },
  required = false,
): JsonObject => ({ name, in: 'query', required, schema, description })

export const uuidParam: JsonObject = { $ref: '#/components/parameters/uuid' }
export const ingressParam: JsonObject = { $ref: '#/components/parameters/ingress' }

/** Request body of a single vCon, in each accepted media type. */
export const vconBody: JsonObject = {
  required: true,
  description:
    'One vCon in any form. Gzip is accepted as application/vcon+gzip or with Content-Encoding: gzip (inflated size bounded by limits.max_body_bytes).',
  content: {
    'application/vcon': { schema: ref('AnyVcon') },
    'application/vcon+json': { schema: ref('AnyVcon') },
    'application/json': { schema: ref('AnyVcon') },
    'application/vcon+gzip': { schema: { type: 'string', contentEncoding: 'gzip' } },
  },
}

export const jsonBody = (schema: Json, description: string): JsonObject => ({
  required: true,
  description,
  content: { 'application/json': { schema } },
})

export const empty = (description: string): JsonObject => ({ description })
