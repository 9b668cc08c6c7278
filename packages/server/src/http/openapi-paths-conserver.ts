/**
 * @module The Conserver-compatible and operations routes of the OpenAPI document.
 */
import { type JsonObject, ref } from './openapi-components.js'
import {
  empty,
  json,
  jsonBody,
  operation,
  query,
  uuidParam,
  vconBody,
} from './openapi-operation.js'

const TAG = 'Conserver compatible'
const OPS = 'Operations'
const uuids = ref('UuidList')

export const CONSERVER_PATHS: JsonObject = {
  '/vcon': {
    post: operation({
      id: 'conserverCreateVcon',
      tag: TAG,
      summary: 'Create (or, with an admin token, overwrite) a vCon',
      description:
        'As the Conserver: stores the vCon and enqueues it into ingress_lists. Answers 201 with the stored vCon. An existing uuid is overwritten for admin tokens (Conserver behaviour) and refused with 409 for ingest tokens.',
      scope: 'ingest',
      params: [
        query('ingress_lists', 'Ingress lists (repeatable).', {
          type: 'array',
          items: { type: 'string' },
        }),
      ],
      body: vconBody,
      ok: { '201': json(ref('AnyVcon'), 'The stored vCon, as stored.') },
      errors: ['400', '409', '413', '415', '422', '503'],
    }),
  },
  '/vcon/external-ingress': {
    post: operation({
      id: 'conserverExternalIngress',
      tag: TAG,
      summary: 'Partner submission into one ingress list',
      scope: 'ingest',
      params: [query('ingress_list', 'The ingress list.', { type: 'string' }, true)],
      body: vconBody,
      ok: { '204': empty('Stored and queued.') },
      errors: ['400', '409', '413', '415', '422', '503'],
    }),
  },
  '/vcon/{uuid}': {
    get: operation({
      id: 'conserverGetVcon',
      tag: TAG,
      summary: 'Read a vCon',
      scope: 'read',
      params: [uuidParam],
      ok: { '200': json(ref('AnyVcon'), 'The stored JSON text, byte for byte.') },
      errors: ['400', '404', '503'],
    }),
    delete: operation({
      id: 'conserverDeleteVcon',
      tag: TAG,
      summary: 'Delete a vCon (always 204)',
      scope: 'admin',
      params: [uuidParam],
      ok: { '204': empty('Deleted, or there was none.') },
      errors: ['400', '503'],
    }),
  },
  '/vcons': {
    get: operation({
      id: 'conserverGetVcons',
      tag: TAG,
      summary: 'Read several vCons',
      scope: 'read',
      params: [
        query('vcon_uuids', 'Uuids (repeatable, at most 1000).', {
          type: 'array',
          items: { type: 'string' },
        }),
      ],
      ok: {
        '200': json(
          { type: 'array', items: { oneOf: [ref('AnyVcon'), { type: 'null' }] } },
          'In request order; null where none is stored.',
        ),
      },
      errors: ['400', '503'],
    }),
  },
  '/vcons/search': {
    get: operation({
      id: 'conserverSearchParties',
      tag: TAG,
      summary: 'Find vCons by party tel, mailto or name',
      description: 'Uuids of the vCons matching every given field (at most 10,000). 400 with none.',
      scope: 'read',
      params: [
        query('tel', 'Party tel.'),
        query('mailto', 'Party mailto.'),
        query('name', 'Party name.'),
      ],
      ok: { '200': json(uuids, 'Matching uuids, newest first.') },
      errors: ['400', '503'],
    }),
  },
  '/vcon/ingress': {
    post: operation({
      id: 'conserverReingress',
      tag: TAG,
      summary: 'Re-queue stored vCons into an ingress list',
      description: 'Uuids that are not stored are skipped.',
      scope: 'admin',
      params: [query('ingress_list', 'The ingress list.', { type: 'string' }, true)],
      body: jsonBody(uuids, 'A JSON array of uuids (at most 10,000).'),
      ok: { '204': empty('Queued.') },
      errors: ['400', '413', '415', '503'],
    }),
  },
  '/vcon/egress': {
    get: operation({
      id: 'conserverPopEgress',
      tag: TAG,
      summary: 'Take uuids off an egress list (destructive)',
      scope: 'admin',
      params: [
        query('egress_list', 'The egress list.', { type: 'string' }, true),
        query('limit', 'How many, 1 to 10,000 (default 1).', { type: 'integer', minimum: 1 }),
      ],
      ok: { '200': json(uuids, 'Uuids, oldest first; they are removed from the list.') },
      errors: ['400', '503'],
    }),
  },
  '/dlq': {
    get: operation({
      id: 'conserverListDlq',
      tag: TAG,
      summary: "List the uuids of an ingress list's dead letters",
      scope: 'read',
      params: [query('ingress_list', 'The ingress list.', { type: 'string' }, true)],
      ok: { '200': json(uuids, 'Uuids.') },
      errors: ['400', '503'],
    }),
  },
  '/dlq/reprocess': {
    post: operation({
      id: 'conserverReprocessDlq',
      tag: TAG,
      summary: "Replay an ingress list's dead letters",
      description:
        'Replays up to count dead letters from their failed step; answers how many. Loop until 0.',
      scope: 'admin',
      params: [
        query('ingress_list', 'The ingress list.', { type: 'string' }, true),
        query('count', '1 to 100,000 (default 1000).', {
          type: 'integer',
          minimum: 1,
          maximum: 100000,
        }),
      ],
      ok: { '200': json({ type: 'integer' }, 'How many were replayed.') },
      errors: ['400', '503'],
    }),
  },
  '/stats/queue': {
    get: operation({
      id: 'conserverQueueStats',
      tag: TAG,
      summary: 'Depth of one list',
      scope: 'read',
      params: [query('list_name', 'The list.', { type: 'string' }, true)],
      ok: {
        '200': json(
          {
            type: 'object',
            properties: { list_name: { type: 'string' }, depth: { type: 'integer' } },
          },
          'Jobs waiting or leased.',
        ),
      },
      errors: ['400', '503'],
    }),
  },
  '/health': {
    get: operation({
      id: 'health',
      tag: OPS,
      summary: 'Liveness',
      description: 'Static: does not check the store or queue (see /ready).',
      scope: 'public',
      ok: {
        '200': json(
          {
            type: 'object',
            properties: { status: { const: 'healthy' }, version: ref('Version') },
          },
          'Alive.',
        ),
      },
    }),
  },
  '/ready': {
    get: operation({
      id: 'ready',
      tag: OPS,
      summary: 'Readiness: the store and queue answer',
      scope: 'public',
      ok: {
        '200': json(ref('Ready'), 'Ready.'),
        '503': json(ref('Ready'), 'The store or queue is unreachable (Retry-After).'),
      },
    }),
  },
  '/version': {
    get: operation({
      id: 'version',
      tag: OPS,
      summary: 'Build information',
      scope: 'public',
      ok: { '200': json(ref('Version'), 'Version.') },
    }),
  },
  '/metrics': {
    get: operation({
      id: 'metrics',
      tag: OPS,
      summary: 'Prometheus metrics',
      description:
        'Text exposition format 0.0.4: requests, ingest, queue depth, step durations and outcomes, dead letters. Needs a token: labels name lists, chains and steps (Prometheus sends bearer tokens natively).',
      scope: 'read',
      ok: {
        '200': {
          description: 'Metrics.',
          content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
        },
      },
    }),
  },
  '/openapi.json': {
    get: operation({
      id: 'openapi',
      tag: OPS,
      summary: 'This document',
      scope: 'public',
      ok: { '200': json({ type: 'object' }, 'OpenAPI 3.1.') },
    }),
  },
  '/docs': {
    get: operation({
      id: 'docs',
      tag: OPS,
      summary: 'This document as an HTML reference page',
      scope: 'public',
      ok: {
        '200': { description: 'HTML.', content: { 'text/html': { schema: { type: 'string' } } } },
      },
    }),
  },
}
