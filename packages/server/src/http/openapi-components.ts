/**
 * @module The reusable parts of the OpenAPI 3.1 document: schemas (vCon forms, the error model, receipts,
 * pages), the error responses of the one code → status table, parameters and the two token headers.
 */

/** A JSON value as the document holds it. */
export type Json =
  | null
  | boolean
  | number
  | string
  | readonly Json[]
  | { readonly [key: string]: Json }
export type JsonObject = { readonly [key: string]: Json }

export const ref = (name: string): JsonObject => ({ $ref: `#/components/schemas/${name}` })
const str = (description: string, extra: JsonObject = {}): JsonObject => ({
  type: 'string',
  description,
  ...extra,
})
const int = (description: string, extra: JsonObject = {}): JsonObject => ({
  type: 'integer',
  description,
  ...extra,
})

const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'

export const SCHEMAS: JsonObject = {
  Vcon: {
    type: 'object',
    description:
      'An unsigned vCon (draft-ietf-vcon-vcon-core, syntax 0.4.0; legacy versions are upgraded in lenient mode). Validated in full by the server; unknown (extension) fields are kept.',
    required: ['uuid'],
    properties: {
      vcon: str('Syntax version, "0.4.0" (deprecated by the draft, still written).'),
      uuid: str('The vCon uuid (core draft §4.1.2).', { pattern: UUID_PATTERN }),
      created_at: str('RFC 3339 date-time.', { format: 'date-time' }),
      updated_at: str('RFC 3339 date-time; set by the server on append.', { format: 'date-time' }),
      subject: str('Subject of the conversation.'),
      extensions: { type: 'array', items: { type: 'string' } },
      critical: {
        type: 'array',
        items: { type: 'string' },
        description: 'Extensions a reader must support; unsupported ones are refused (422).',
      },
      parties: { type: 'array', items: { type: 'object' } },
      dialog: { type: 'array', items: { type: 'object' } },
      analysis: { type: 'array', items: { type: 'object' } },
      attachments: { type: 'array', items: { type: 'object' } },
    },
    additionalProperties: true,
  },
  SignedVcon: {
    type: 'object',
    description:
      'A signed vCon: JWS JSON serialization (core draft §5.2). Stored as received, keyed by its uuid header (required); the signature is not checked on ingest.',
    required: ['payload'],
    properties: {
      payload: str('base64url of the unsigned vCon JSON (or of its gzip).'),
      signatures: { type: 'array', items: { type: 'object' } },
      signature: str('Flattened serialization: the one signature.'),
      protected: str('Flattened serialization: the protected header.'),
      header: { type: 'object' },
    },
    additionalProperties: true,
  },
  EncryptedVcon: {
    type: 'object',
    description:
      'An encrypted vCon: JWE JSON serialization (core draft §5.3). Stored as received, keyed by the uuid of its unprotected header (required).',
    required: ['ciphertext'],
    properties: {
      protected: { type: 'string' },
      unprotected: { type: 'object' },
      recipients: { type: 'array', items: { type: 'object' } },
      iv: { type: 'string' },
      ciphertext: { type: 'string' },
      tag: { type: 'string' },
    },
    additionalProperties: true,
  },
  AnyVcon: {
    description: 'A vCon in any of its three forms.',
    oneOf: [ref('Vcon'), ref('SignedVcon'), ref('EncryptedVcon')],
  },
  Issue: {
    type: 'object',
    description: 'One validation problem, with a JSON pointer into the vCon.',
    required: ['pointer', 'code', 'severity', 'message'],
    properties: {
      pointer: str('RFC 6901 JSON pointer ("" is the root).'),
      code: str('Stable issue code, e.g. missing-field, bad-date, critical-unsupported.'),
      severity: { type: 'string', enum: ['error', 'warning'] },
      message: str('What is wrong and what to do.'),
    },
  },
  Error: {
    type: 'object',
    description: 'Every error answer. The code decides the status (one table).',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: {
            type: 'string',
            enum: [
              'BAD_REQUEST',
              'UNAUTHENTICATED',
              'FORBIDDEN',
              'NOT_FOUND',
              'METHOD_NOT_ALLOWED',
              'CONFLICT',
              'PAYLOAD_TOO_LARGE',
              'UNSUPPORTED_MEDIA_TYPE',
              'VCON_INVALID',
              'CRITICAL_UNSUPPORTED',
              'IDEMPOTENCY_KEY_REUSED',
              'RATE_LIMITED',
              'INTERNAL',
              'CONFIG_INVALID',
              'UNAVAILABLE',
            ],
          },
          message: str('A human message naming the field or parameter and the fix.'),
          issues: { type: 'array', items: ref('Issue'), description: 'For invalid vCons (422).' },
        },
      },
    },
  },
  Receipt: {
    type: 'object',
    description: 'What was stored by a create or replace.',
    required: ['uuid', 'form', 'version', 'location', 'warnings'],
    properties: {
      uuid: str('The stored vCon uuid.'),
      form: { type: 'string', enum: ['unsigned', 'signed', 'encrypted'] },
      version: int('Starts at 1, grows by one with every replace or append (the ETag).'),
      location: str('Path of the stored vCon.'),
      upgradedFrom: str(
        'Present when the server upgraded a legacy vCon; the stored text is then the re-serialised 0.4.0 vCon.',
      ),
      warnings: { type: 'array', items: ref('Issue') },
    },
  },
  ListItem: {
    type: 'object',
    required: ['uuid', 'createdAt'],
    properties: {
      uuid: { type: 'string' },
      createdAt: str('ISO 8601 UTC: created_at, or the time of ingest.'),
      subject: { type: 'string' },
    },
  },
  ListPage: {
    type: 'object',
    description: 'A page, newest first (created_at desc, uuid desc).',
    required: ['items'],
    properties: {
      items: { type: 'array', items: ref('ListItem') },
      next: str('Cursor of the next page (pass as ?cursor=); absent on the last page.'),
    },
  },
  SearchResult: {
    type: 'object',
    required: ['hits'],
    properties: {
      hits: {
        type: 'array',
        items: {
          type: 'object',
          required: ['uuid', 'createdAt', 'snippet', 'rank'],
          properties: {
            uuid: { type: 'string' },
            createdAt: { type: 'string' },
            snippet: str('An excerpt with the matched words between « and ».'),
            rank: { type: 'number', description: 'Relevance; higher is better.' },
          },
        },
      },
    },
  },
  AppendResult: {
    type: 'object',
    required: ['uuid', 'field', 'index', 'version'],
    properties: {
      uuid: { type: 'string' },
      field: { type: 'string', enum: ['analysis', 'attachments', 'dialog'] },
      index: int('Position of the new entry in its array.'),
      version: int('The new version.'),
    },
  },
  Tags: {
    description: 'Tags: an object of names to values, or a list of "name:value" strings.',
    oneOf: [
      { type: 'object', additionalProperties: { type: 'string' } },
      { type: 'array', items: { type: 'string' } },
    ],
  },
  TagsResult: {
    type: 'object',
    required: ['uuid', 'tags', 'version'],
    properties: {
      uuid: { type: 'string' },
      tags: { type: 'object', additionalProperties: { type: 'string' } },
      version: { type: 'integer' },
    },
  },
  BulkResultLine: {
    type: 'object',
    description:
      'One NDJSON line per input vCon, in input order. A last line with line null reports why the body stopped being read.',
    required: ['line', 'uuid', 'status'],
    properties: {
      line: { type: ['integer', 'null'], description: 'The 1-based input line.' },
      uuid: { type: ['string', 'null'] },
      status: int('What POST /v1/vcons would have answered for this vCon (201, 409, 422, ...).'),
      error: { $ref: '#/components/schemas/Error/properties/error' },
    },
  },
  DeadLetter: {
    type: 'object',
    required: [
      'id',
      'vconUuid',
      'list',
      'chain',
      'step',
      'failedStep',
      'attempt',
      'error',
      'failedAt',
    ],
    properties: {
      id: { type: 'string' },
      vconUuid: { type: 'string' },
      list: str('The ingress list the job came in on.'),
      chain: { type: 'string' },
      step: int('0-based index of the step that failed; replay resumes there.'),
      failedStep: str('Name of the step that failed.'),
      attempt: int('Deliveries made.'),
      error: str('The last error.'),
      failedAt: { type: 'string', format: 'date-time' },
    },
  },
  ReplayRequest: {
    type: 'object',
    description:
      'Dead letters to replay: given ids, or the oldest `limit` of a list (or of all lists).',
    properties: {
      ids: { type: 'array', items: { type: 'string' }, maxItems: 10000 },
      list: { type: 'string' },
      limit: { type: 'integer', minimum: 1, maximum: 100000 },
    },
  },
  Version: {
    type: 'object',
    required: ['version', 'git_commit', 'build_time'],
    properties: {
      version: { type: 'string' },
      git_commit: { type: 'string' },
      build_time: { type: 'string' },
    },
  },
  Ready: {
    type: 'object',
    required: ['status', 'store', 'queue'],
    properties: {
      status: { type: 'string', enum: ['ready', 'unavailable'] },
      store: { type: 'string', enum: ['ok', 'unreachable'] },
      queue: { type: 'string', enum: ['ok', 'unreachable'] },
    },
  },
  UuidList: { type: 'array', items: { type: 'string' } },
}

const errorResponse = (description: string, retry = false): JsonObject => ({
  description,
  ...(retry
    ? {
        headers: {
          'Retry-After': { schema: { type: 'integer' }, description: 'Seconds to wait.' },
        },
      }
    : {}),
  content: { 'application/json': { schema: ref('Error') } },
})

/** One response per error status of the table in error-status.ts. */
export const ERROR_RESPONSES: JsonObject = {
  '400': errorResponse('BAD_REQUEST: not JSON, not a vCon, too deep, a bad parameter or header.'),
  '401': errorResponse('UNAUTHENTICATED: no token, or one that matches no token.'),
  '403': errorResponse("FORBIDDEN: the token's scope (or list binding) does not allow this."),
  '404': errorResponse('NOT_FOUND: no such vCon (or route).'),
  '405': errorResponse('METHOD_NOT_ALLOWED: see the Allow header.'),
  '409': errorResponse('CONFLICT: the uuid exists already, or a signed vCon cannot be edited.'),
  '413': errorResponse('PAYLOAD_TOO_LARGE: over limits.max_body_bytes (or max_bulk_bytes).'),
  '415': errorResponse('UNSUPPORTED_MEDIA_TYPE: Content-Type or Content-Encoding not accepted.'),
  '422': errorResponse(
    'VCON_INVALID (with issues), CRITICAL_UNSUPPORTED, or IDEMPOTENCY_KEY_REUSED.',
  ),
  '429': errorResponse('RATE_LIMITED: the token is over its rate; see Retry-After.', true),
  '500': errorResponse('INTERNAL: an unexpected error; the message carries a request id.'),
  '503': errorResponse(
    'UNAVAILABLE: the queue backlog is over its limit, or the store or queue is unreachable; see Retry-After. Nothing was acknowledged.',
    true,
  ),
}

export const PARAMETERS: JsonObject = {
  uuid: {
    name: 'uuid',
    in: 'path',
    required: true,
    schema: { type: 'string', pattern: UUID_PATTERN },
    description: 'The vCon uuid.',
  },
  ingress: {
    name: 'ingress',
    in: 'query',
    required: false,
    schema: { type: 'array', items: { type: 'string' } },
    style: 'form',
    explode: true,
    description:
      'Ingress lists to enqueue the vCon into (repeatable); each must feed a chain. Ingest tokens bound to lists must name one of theirs.',
  },
}

export const SECURITY_SCHEMES: JsonObject = {
  bearer: {
    type: 'http',
    scheme: 'bearer',
    description: 'Authorization: Bearer vck_… (an API token; scopes admin, ingest, read).',
  },
  conserverToken: {
    type: 'apiKey',
    in: 'header',
    name: 'x-conserver-api-token',
    description: 'The Conserver header, same tokens.',
  },
}
