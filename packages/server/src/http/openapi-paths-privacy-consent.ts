/**
 * @module The privacy operations of the OpenAPI document: consent withdrawal, restriction of processing and the
 * record of skipped steps.
 */
import type { JsonObject } from './openapi-components.js'
import { empty, json, jsonBody, operation, uuidParam } from './openapi-operation.js'

const identifier: JsonObject = {
  type: 'string',
  description:
    'A party identifier: tel:+15550100, mailto:a@example.com, sip:alice@example.com, did:example:123 or name:Alice Smith.',
}

const restriction: JsonObject = {
  type: 'object',
  required: ['id', 'createdAt'],
  properties: {
    id: { type: 'string' },
    uuid: { type: 'string', format: 'uuid', description: 'The restricted vCon.' },
    identifier: { ...identifier, description: 'The restricted party (normalised).' },
    reason: { type: 'string' },
    createdAt: { type: 'string', format: 'date-time' },
  },
}

export const PRIVACY_CONSENT_PATHS: JsonObject = {
  '/v1/privacy/withdrawals': {
    post: operation({
      id: 'withdrawConsent',
      tag: 'Privacy',
      summary: 'Withdraw consent for some purposes',
      description:
        'Records that a party withdraws consent for the given purposes (GDPR Art. 7(3)). From then on, no step serving those purposes (or narrower ones) runs on any vCon naming the party, queued work included; each stored unsigned vCon naming the party gets an amended version with a lawful_basis attachment recording the withdrawal (the prior is kept), and a vcon_consent_revoked event per vCon goes to the ledger. Signed or encrypted vCons are listed under ruleOnly.',
      scope: 'admin',
      body: jsonBody(
        {
          type: 'object',
          required: ['identifier', 'purposes'],
          properties: {
            identifier,
            purposes: { type: 'array', minItems: 1, maxItems: 64, items: { type: 'string' } },
            reason: { type: 'string', maxLength: 500 },
          },
        },
        'Who withdraws consent, and for what.',
      ),
      ok: {
        '201': json(
          {
            type: 'object',
            properties: {
              id: { type: 'string' },
              identifier,
              purposes: { type: 'array', items: { type: 'string' } },
              createdAt: { type: 'string', format: 'date-time' },
              amended: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { uuid: { type: 'string' }, amendedBy: { type: 'string' } },
                },
              },
              ruleOnly: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: { uuid: { type: 'string' }, why: { type: 'string' } },
                },
              },
            },
          },
          'Recorded.',
        ),
      },
      errors: ['400', '413', '415', '503'],
    }),
  },
  '/v1/privacy/restrictions': {
    post: operation({
      id: 'restrictProcessing',
      tag: 'Privacy',
      summary: 'Restrict processing of a vCon or of a party',
      description:
        'Restriction of processing (GDPR Art. 18): no pipeline step runs on the vCon, or on any vCon naming the party, and nothing is pushed to egress lists, until the restriction is lifted. Storage, reading and erasure go on.',
      scope: 'admin',
      body: jsonBody(
        {
          type: 'object',
          properties: {
            uuid: { type: 'string', format: 'uuid' },
            identifier,
            reason: { type: 'string', maxLength: 500 },
          },
        },
        'Exactly one of uuid or identifier.',
      ),
      ok: { '201': json(restriction, 'Restricted.') },
      errors: ['400', '413', '415', '503'],
    }),
    get: operation({
      id: 'listRestrictions',
      tag: 'Privacy',
      summary: 'List restrictions of processing',
      scope: 'admin',
      ok: {
        '200': json(
          { type: 'object', properties: { items: { type: 'array', items: restriction } } },
          'The restrictions.',
        ),
      },
      errors: ['503'],
    }),
  },
  '/v1/privacy/restrictions/{id}': {
    delete: operation({
      id: 'liftRestriction',
      tag: 'Privacy',
      summary: 'Lift a restriction of processing',
      description:
        'Processing resumes for work queued from now on; steps skipped meanwhile are not run again.',
      scope: 'admin',
      params: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
      ok: { '204': empty('Lifted.') },
      errors: ['404', '503'],
    }),
  },
  '/v1/vcons/{uuid}/skips': {
    get: operation({
      id: 'listSkippedSteps',
      tag: 'Privacy',
      summary: 'Steps not run on a vCon, and why',
      description:
        'Every pipeline step (and egress push, step "(egress)") skipped because a restriction, a withdrawal or the lawful basis did not permit it, with a stable code (restricted, withdrawn, denied, expired, no-grant, no-lawful-basis, …) and a reason naming purposes and party indices.',
      scope: 'read',
      params: [uuidParam],
      ok: {
        '200': json(
          {
            type: 'object',
            properties: {
              uuid: { type: 'string' },
              items: {
                type: 'array',
                items: {
                  type: 'object',
                  required: ['chain', 'step', 'code', 'reason', 'at'],
                  properties: {
                    chain: { type: 'string' },
                    step: { type: 'string' },
                    code: { type: 'string' },
                    reason: { type: 'string' },
                    purpose: { type: 'string' },
                    party: { type: 'integer' },
                    at: { type: 'string', format: 'date-time' },
                  },
                },
              },
            },
          },
          'The skipped steps, oldest first.',
        ),
      },
      errors: ['400', '503'],
    }),
  },
}
