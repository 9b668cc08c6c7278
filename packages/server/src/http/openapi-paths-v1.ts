/**
 * @module The /v1 operations of the OpenAPI document.
 */
import { type JsonObject, ref } from './openapi-components.js'
import {
  empty,
  ingressParam,
  json,
  jsonBody,
  operation,
  query,
  uuidParam,
  vconBody,
} from './openapi-operation.js'

const etag = { ETag: { schema: { type: 'string' }, description: 'The version, quoted.' } }
const location = { Location: { schema: { type: 'string' }, description: 'Path of the vCon.' } }

const stored: JsonObject = {
  description:
    'Exactly the stored JSON text, byte for byte (the body as sent, or its 0.4.0 upgrade). Content-Type application/vcon+json for all three forms.',
  headers: etag,
  content: { 'application/vcon+json': { schema: ref('AnyVcon') } },
}

function append(field: string, what: string): JsonObject {
  return {
    post: operation({
      id: `append${field[0]?.toUpperCase()}${field.slice(1)}`,
      tag: 'v1 vCons',
      summary: `Append one ${what}`,
      description: `Appends one ${what} to the stored vCon, validates the whole result (422 with pointers into it), sets updated_at and bumps the version. Signed or encrypted vCons cannot be edited (409).`,
      scope: 'admin',
      params: [uuidParam],
      body: jsonBody({ type: 'object' }, `One ${what} object.`),
      ok: { '201': json(ref('AppendResult'), 'Appended.', { ...location, ...etag }) },
      errors: ['400', '404', '409', '413', '415', '422', '503'],
    }),
  }
}

export const V1_PATHS: JsonObject = {
  '/v1/vcons': {
    post: operation({
      id: 'createVcon',
      tag: 'v1 vCons',
      summary: 'Create a vCon',
      description:
        'Stores a new vCon (unsigned, signed or encrypted) durably — the answer comes after the transaction committed and its jobs were queued — and enqueues it into the given ingress lists. 409 if the uuid exists. With an Idempotency-Key, a retry of the same create gets the same answer (a key reused for another vCon: 422). 503 when the queue backlog is over limits.max_queue_depth.',
      scope: 'ingest',
      params: [
        ingressParam,
        {
          name: 'Idempotency-Key',
          in: 'header',
          required: false,
          schema: { type: 'string', maxLength: 255 },
          description: 'Makes retries of one create safe.',
        },
      ],
      body: vconBody,
      ok: {
        '201': json(ref('Receipt'), 'Stored (or an idempotent replay).', { ...location, ...etag }),
      },
      errors: ['400', '409', '413', '415', '422', '503'],
    }),
    get: operation({
      id: 'listVcons',
      tag: 'v1 vCons',
      summary: 'List vCons',
      description:
        'Keyset-paginated list, newest first. Every given filter must match. Party filters are normalised as the index keeps them (tel digits, mailto and name lowercased).',
      scope: 'read',
      params: [
        query('since', 'Created at or after (RFC 3339).', { type: 'string', format: 'date-time' }),
        query('until', 'Created before (RFC 3339).', { type: 'string', format: 'date-time' }),
        query('tel', 'A party tel.'),
        query('mailto', 'A party mailto.'),
        query('name', 'A party name (exact, case-insensitive).'),
        query('tag', 'A tag as "name:value".'),
        query('subject', 'Substring of the subject, case-insensitive.'),
        query('limit', 'Page size, 1 to 1000 (default 50).', {
          type: 'integer',
          minimum: 1,
          maximum: 1000,
        }),
        query('cursor', 'The `next` of the previous page.'),
      ],
      ok: { '200': json(ref('ListPage'), 'A page.') },
      errors: ['400', '503'],
    }),
  },
  '/v1/vcons/{uuid}': {
    get: operation({
      id: 'getVcon',
      tag: 'v1 vCons',
      summary: 'Read a vCon',
      description:
        'Returns the stored text byte for byte; ETag is the version (If-None-Match gives 304).',
      scope: 'read',
      params: [uuidParam],
      ok: { '200': stored, '304': empty('Not modified (If-None-Match matched).') },
      errors: ['400', '404', '503'],
    }),
    put: operation({
      id: 'replaceVcon',
      tag: 'v1 vCons',
      summary: 'Create or replace a vCon',
      description:
        'The body uuid (or uuid header of a signed or encrypted vCon) must equal the path. Replacing bumps the version. Idempotent: on 503, retry.',
      scope: 'admin',
      params: [uuidParam, ingressParam],
      body: vconBody,
      ok: {
        '200': json(ref('Receipt'), 'Replaced.', etag),
        '201': json(ref('Receipt'), 'Created.', { ...location, ...etag }),
      },
      errors: ['400', '413', '415', '422', '503'],
    }),
    delete: operation({
      id: 'deleteVcon',
      tag: 'v1 vCons',
      summary: 'Delete a vCon',
      description:
        'Deletes the vCon, its index rows, and its waiting jobs, dead letters and egress entries.',
      scope: 'admin',
      params: [uuidParam],
      ok: { '204': empty('Deleted.') },
      errors: ['400', '404', '503'],
    }),
  },
  '/v1/vcons:bulk': {
    post: operation({
      id: 'bulkCreateVcons',
      tag: 'v1 vCons',
      summary: 'Create many vCons (NDJSON)',
      description:
        'One vCon per line (application/x-ndjson, optionally Content-Encoding: gzip); the answer streams one BulkResultLine per vCon in input order. A bad line does not stop the others. Lines over limits.max_body_bytes are reported per line; a body over limits.max_bulk_bytes ends with a last line of status 413.',
      scope: 'ingest',
      params: [ingressParam],
      body: {
        required: true,
        content: {
          'application/x-ndjson': { schema: { type: 'string' } },
          'application/jsonl': { schema: { type: 'string' } },
        },
      },
      ok: {
        '200': {
          description: 'Results, one NDJSON line per input vCon.',
          content: {
            'application/x-ndjson': {
              schema: { type: 'string', description: 'One BulkResultLine per line.' },
              'x-line-schema': ref('BulkResultLine'),
            },
          },
        },
      },
      errors: ['400', '413', '415', '503'],
    }),
  },
  '/v1/vcons/{uuid}/analysis': append('analysis', 'analysis entry'),
  '/v1/vcons/{uuid}/attachments': append('attachments', 'attachment'),
  '/v1/vcons/{uuid}/dialog': append('dialog', 'dialog'),
  '/v1/vcons/{uuid}/tags': {
    get: operation({
      id: 'getTags',
      tag: 'v1 vCons',
      summary: 'Read the tags of a vCon',
      scope: 'read',
      params: [uuidParam],
      ok: { '200': json(ref('TagsResult'), 'The tags.') },
      errors: ['400', '404', '503'],
    }),
    post: operation({
      id: 'mergeTags',
      tag: 'v1 vCons',
      summary: 'Merge tags into a vCon',
      description: 'Given tags are set; other tags stay. Stored in the tags attachment.',
      scope: 'admin',
      params: [uuidParam],
      body: jsonBody(ref('Tags'), 'Tags to set.'),
      ok: { '200': json(ref('TagsResult'), 'The tags after the change.', etag) },
      errors: ['400', '404', '409', '413', '415', '422', '503'],
    }),
    put: operation({
      id: 'replaceTags',
      tag: 'v1 vCons',
      summary: 'Replace the tags of a vCon',
      scope: 'admin',
      params: [uuidParam],
      body: jsonBody(ref('Tags'), 'The complete new set of tags.'),
      ok: { '200': json(ref('TagsResult'), 'The tags after the change.', etag) },
      errors: ['400', '404', '409', '413', '415', '422', '503'],
    }),
  },
  '/v1/search': {
    get: operation({
      id: 'searchVcons',
      tag: 'v1 vCons',
      summary: 'Full-text search',
      description: 'Searches subject, party names, transcripts and summaries; hits carry snippets.',
      scope: 'read',
      params: [
        query('q', 'Words to search for.', { type: 'string', maxLength: 500 }, true),
        query('limit', 'Hits, 1 to 100 (default 20).', {
          type: 'integer',
          minimum: 1,
          maximum: 100,
        }),
      ],
      ok: { '200': json(ref('SearchResult'), 'Hits, best first.') },
      errors: ['400', '503'],
    }),
  },
  '/v1/dead-letters': {
    get: operation({
      id: 'listDeadLetters',
      tag: 'v1 queue',
      summary: 'List dead letters',
      description:
        'Jobs that failed their last attempt, with the error, the failed step and the attempt.',
      scope: 'read',
      params: [
        query('list', 'Only this ingress list.'),
        query('limit', '1 to 1000 (default 100).', { type: 'integer', minimum: 1, maximum: 1000 }),
      ],
      ok: {
        '200': json(
          {
            type: 'object',
            required: ['items'],
            properties: { items: { type: 'array', items: ref('DeadLetter') } },
          },
          'Dead letters, oldest first.',
        ),
      },
      errors: ['400', '503'],
    }),
  },
  '/v1/dead-letters:replay': {
    post: operation({
      id: 'replayDeadLetters',
      tag: 'v1 queue',
      summary: 'Replay dead letters from the failed step',
      scope: 'admin',
      body: jsonBody(ref('ReplayRequest'), 'What to replay.'),
      ok: {
        '200': json(
          { type: 'object', required: ['replayed'], properties: { replayed: { type: 'integer' } } },
          'How many were put back.',
        ),
      },
      errors: ['400', '413', '415', '503'],
    }),
  },
}
