/**
 * @module The privacy operations of the OpenAPI document: erasure (one vCon or every vCon of an identifier) and redaction of a party.
 */
import type { JsonObject } from './openapi-components.js'
import { json, jsonBody, operation } from './openapi-operation.js'

const uuid: JsonObject = { type: 'string', format: 'uuid' }

const request: JsonObject = {
  oneOf: [
    {
      type: 'object',
      title: 'One vCon',
      required: ['uuid'],
      additionalProperties: false,
      properties: { uuid: { ...uuid, description: 'The vCon to delete everywhere.' } },
    },
    {
      type: 'object',
      title: 'Every vCon of a person',
      required: ['identifier'],
      additionalProperties: false,
      properties: {
        identifier: {
          type: 'string',
          description:
            'Who: tel:+15550100, mailto:a@example.com, sip:alice@example.com, did:example:123 or name:Alice Smith. Every vCon naming it (as a party, in text, or as a later version of such a vCon) is erased.',
        },
        mode: {
          type: 'string',
          enum: ['delete', 'redact'],
          default: 'delete',
          description:
            'delete: each vCon is deleted everywhere. redact: each vCon is replaced by a new version (new uuid, `redacted` pointing at the original, core draft §4.1.8) without the subject: their party entry keeps only its role, their identifiers are replaced in every readable text, the media of recordings they are in is removed; the original is then deleted everywhere. Signed or encrypted vCons, unknown extensions and identifiers left where the redactor cannot rewrite them refuse the whole request (409) before anything is erased.',
        },
        forgetRules: {
          type: 'boolean',
          default: false,
          description:
            'Also forget the restrictions and consent withdrawals naming the person. By default they are kept: they stop later vCons of the person from being processed.',
        },
      },
    },
  ],
}

const response: JsonObject = {
  type: 'object',
  required: ['erased', 'redacted', 'events'],
  properties: {
    erased: { type: 'array', items: uuid, description: 'vCons deleted whole.' },
    redacted: {
      type: 'array',
      description:
        'vCons replaced by a redacted version (the original is deleted everywhere). Without newUuid: the vCon matched only as a later version of one naming the person, holds nothing of them, and was kept unchanged.',
      items: {
        type: 'object',
        required: ['uuid'],
        properties: {
          uuid,
          newUuid: uuid,
          uninspected: {
            type: 'array',
            items: { type: 'string' },
            description:
              'JSON pointers of content in the new version nobody could read (external urls, binary bodies): check it by other means.',
          },
        },
      },
    },
    events: {
      type: 'array',
      description:
        'Lifecycle events recorded (vcon_deleted for each deleted vCon, vcon_party_redacted for each redacted version), registered before the answer; entryId is the ledger entry (absent when the ledger is off or did not answer: the outbox retries).',
      items: {
        type: 'object',
        required: ['uuid', 'event'],
        properties: {
          uuid,
          event: { type: 'string', enum: ['vcon_deleted', 'vcon_party_redacted'] },
          entryId: { type: 'string' },
        },
      },
    },
  },
}

export const PRIVACY_ERASURE_PATHS: JsonObject = {
  '/v1/privacy/erasures': {
    post: operation({
      id: 'eraseVcons',
      tag: 'Privacy',
      summary: 'Erase a vCon, or every vCon of a person',
      description:
        'Right to erasure (GDPR Art. 17). Deletes everywhere the conserver keeps data: the stored vCon, its index and full-text rows, idempotency keys, queue jobs, dead letters and egress entries, the privacy records about it; then compacts the database (SQLite: WAL truncated, statistics samples dropped; PostgreSQL: VACUUM FULL of the store tables by default, which locks each table while it is rewritten) and answers once the lifecycle events are registered in the ledger, with their entry ids as proof. Not reachable from here: backups, PostgreSQL WAL segments until recycled, copies already delivered to webhooks or egress consumers.',
      scope: 'admin',
      body: jsonBody(request, 'What to erase.'),
      ok: { '200': json(response, 'Erased; the events are registered.') },
      errors: ['400', '404', '409', '413', '415', '503'],
    }),
  },
}
