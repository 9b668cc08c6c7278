/**
 * @module The privacy operations of the OpenAPI document: subject access, portability, rectification and automated-decision listing.
 */
import type { JsonObject } from './openapi-components.js'
import { json, jsonBody, operation, query } from './openapi-operation.js'

const TAG = 'Privacy'
const uuid: JsonObject = { type: 'string', format: 'uuid' }
const text = (description: string): JsonObject => ({ type: 'string', description })
const nullableText = (description: string): JsonObject => ({
  type: ['string', 'null'],
  description,
})

const identifierParam = query(
  'identifier',
  'Who: tel:+15550100, mailto:alice@example.com, sip:alice@example.com, did:example:123 or name:Alice Smith (a bare +15550100 or alice@example.com works too). Normalised as the index keeps parties: tel digits, mailto lowercase, sip host lowercase, name lowercase. 400 when it is none of these.',
  { type: 'string', maxLength: 600 },
  true,
)
const limitParam = query(
  'limit',
  'At most this many vCons naming the subject (default 1000; 100 with include=content). The versions linked to each by amended/redacted are never cut off, so an answer can pass the limit by those of its last vCon.',
  { type: 'integer', minimum: 1, maximum: 1000 },
)

const identifier: JsonObject = {
  type: 'object',
  required: ['kind', 'value'],
  properties: {
    kind: { type: 'string', enum: ['tel', 'mailto', 'sip', 'did', 'name'] },
    value: text('The identifier as normalised for matching.'),
  },
}

const match: JsonObject = {
  type: 'object',
  required: ['pointer', 'kind'],
  properties: {
    pointer: text(
      'RFC 6901 pointer of the match in the vCon (in a signed vCon: in its payload): a party field such as /parties/1/tel, a text such as /dialog/0/body or /analysis/2/body/transcript/text, or for lineage the /amended or /redacted field linking the versions.',
    ),
    kind: {
      type: 'string',
      enum: ['party', 'text', 'lineage'],
      description:
        'party: a party field carries the identifier. text: a text mentions it (a number also matches in its national form, e.g. "555 0100" for +1 555 0100; a name matches as whole words, any case). lineage: the vCon does not name the subject but is an amended or redacted version of one that does, or the reverse.',
    },
    linkedTo: { ...uuid, description: 'For lineage: the vCon on the other side of the link.' },
    relation: {
      type: 'string',
      enum: ['amends', 'redacts', 'amended-by', 'redacted-by'],
      description: 'For lineage: how this vCon relates to linkedTo.',
    },
  },
}

const form: JsonObject = {
  type: 'string',
  enum: ['unsigned', 'signed', 'encrypted', 'unreadable'],
  description: 'How the vCon is stored; an encrypted one could not be searched.',
}

const accessResponse: JsonObject = {
  type: 'object',
  required: ['identifier', 'vcons', 'count', 'limit', 'truncated', 'notes'],
  properties: {
    identifier,
    vcons: {
      type: 'array',
      description: 'Newest first.',
      items: {
        type: 'object',
        required: ['uuid', 'createdAt', 'form', 'matches'],
        properties: {
          uuid,
          createdAt: { type: 'string', format: 'date-time' },
          form,
          matches: { type: 'array', items: match },
          vcon: {
            description:
              'With include=content: the vCon as stored (for signed and encrypted vCons, the JWS or JWE JSON).',
          },
        },
      },
    },
    count: { type: 'integer' },
    limit: { type: 'integer' },
    truncated: {
      type: 'boolean',
      description:
        'True when the limit was reached: more vCons may name the subject. Erase or narrow, then ask again.',
    },
    notes: {
      type: 'array',
      items: { type: 'string' },
      description: 'What was and was not searched.',
    },
  },
}

const rectificationRequest: JsonObject = {
  type: 'object',
  required: ['uuid', 'corrections', 'reason'],
  properties: {
    uuid: { ...uuid, description: 'The stored vCon to rectify; it is kept unchanged.' },
    corrections: {
      type: 'array',
      minItems: 1,
      maxItems: 100,
      description:
        'Applied in order. A pointer names an existing array element or an object member (replaced or added); uuid, vcon, amended and redacted are set by the server, and whole parties/dialog/analysis/attachments arrays cannot be replaced.',
      items: {
        type: 'object',
        required: ['pointer', 'value'],
        properties: {
          pointer: text('RFC 6901 pointer into the vCon, e.g. /parties/0/name.'),
          value: { description: 'The corrected value (any JSON).' },
        },
      },
    },
    reason: text(
      'Why the data is corrected (1 to 1000 characters); kept in the new version’s amendment_provenance analysis, never in the ledger.',
    ),
  },
}

const rectificationResponse: JsonObject = {
  type: 'object',
  required: ['uuid', 'amends', 'corrected', 'location'],
  properties: {
    uuid: { ...uuid, description: 'The new version.' },
    amends: { ...uuid, description: 'The prior version, stored unchanged.' },
    corrected: { type: 'array', items: { type: 'string' }, description: 'The corrected pointers.' },
    location: text('Path of the new version.'),
  },
}

const decision: JsonObject = {
  type: 'object',
  required: [
    'uuid',
    'analysisIndex',
    'type',
    'vendor',
    'product',
    'schema',
    'dialog',
    'created_at',
  ],
  properties: {
    uuid,
    analysisIndex: { type: 'integer', description: 'Index in the vCon’s analysis array.' },
    type: nullableText('Analysis type, e.g. transcript, summary, sentiment.'),
    vendor: nullableText('Who made it (core draft §4.5.5).'),
    product: nullableText('The product or model used.'),
    schema: nullableText('The schema of its body.'),
    dialog: {
      description: 'The dialog indices it was derived from, as written; null when absent.',
      oneOf: [{ type: 'integer' }, { type: 'array', items: { type: 'integer' } }, { type: 'null' }],
    },
    created_at: {
      type: ['string', 'null'],
      description:
        'When the analysis says it was made (its created_at, its body’s created_at or metadata.created_at, or amended_at); null when it does not say (the core draft gives analyses no time: see enhancements).',
    },
  },
}

const decisionsResponse: JsonObject = {
  type: 'object',
  required: [
    'identifier',
    'vcons',
    'decisions',
    'enhancements',
    'unreadable',
    'limit',
    'truncated',
  ],
  properties: {
    identifier,
    vcons: { type: 'array', items: uuid, description: 'The subject’s vCons that were examined.' },
    decisions: { type: 'array', items: decision },
    enhancements: {
      type: ['array', 'null'],
      description:
        'When the pipeline changed each vCon (ledger vcon_enhanced events); null when the ledger is off.',
      items: {
        type: 'object',
        required: ['uuid', 'occurred_at', 'reason'],
        properties: {
          uuid,
          occurred_at: { type: 'string', format: 'date-time' },
          reason: nullableText('A token such as transcription or analysis.'),
        },
      },
    },
    unreadable: {
      type: 'array',
      items: uuid,
      description: 'Encrypted vCons whose analyses could not be read.',
    },
    limit: { type: 'integer' },
    truncated: { type: 'boolean' },
  },
}

export const PRIVACY_SUBJECT_PATHS: JsonObject = {
  '/v1/privacy/subjects/vcons': {
    get: operation({
      id: 'findSubjectVcons',
      tag: TAG,
      summary: 'Find every vCon of a person (right of access)',
      description:
        'GDPR Art. 15: every stored vCon in which the identifier appears, as a party or inside texts (subject, dialog bodies, transcripts and other analyses, attachments), with the exact JSON pointers that matched; plus the amended and redacted versions linked to them. Candidates come from the indexes and each is confirmed by reading the vCon. include=content adds the vCons themselves.',
      scope: 'admin',
      params: [
        identifierParam,
        limitParam,
        query('include', 'content: add each vCon as stored.', {
          type: 'string',
          enum: ['content'],
        }),
      ],
      ok: { '200': json(accessResponse, 'The vCons of the subject.') },
      errors: ['400', '503'],
    }),
  },
  '/v1/privacy/subjects/export': {
    get: operation({
      id: 'exportSubjectVcons',
      tag: TAG,
      summary: 'Export every vCon of a person (right to data portability)',
      description:
        'GDPR Art. 20: a gzipped ustar archive, streamed: vcons/<uuid>.vcon.json (each vCon byte for byte as stored, readable by any vCon implementation), receipts/<uuid>.json (its lifecycle events with statements, receipts and transparent statements, as GET /v1/vcons/{uuid}/receipts gives; absent when the ledger is off), and manifest.json last: format "vconkit-subject-export/1", identifier, generated_at, conserver version, truncated, and per vCon its uuid, file, form, size, content_hash (sha512 of the file bytes, "sha512-<base64url>"), created_at, matches and receipts file.',
      scope: 'admin',
      params: [identifierParam, limitParam],
      ok: {
        '200': {
          description: 'The archive (Content-Disposition: attachment).',
          content: {
            'application/gzip': { schema: { type: 'string', contentEncoding: 'binary' } },
          },
        },
      },
      errors: ['400', '503'],
    }),
  },
  '/v1/privacy/subjects/decisions': {
    get: operation({
      id: 'listSubjectDecisions',
      tag: TAG,
      summary: 'List the automated processing of a person’s vCons',
      description:
        'GDPR Art. 15(1)(h) and Art. 22: every analysis entry (type, vendor, product, schema, dialogs, time when it records one) of every vCon of the subject, and when the ledger is on the times the pipeline enhanced each vCon.',
      scope: 'admin',
      params: [identifierParam, limitParam],
      ok: { '200': json(decisionsResponse, 'The analyses of the subject’s vCons.') },
      errors: ['400', '503'],
    }),
  },
  '/v1/privacy/rectifications': {
    post: operation({
      id: 'rectifyVcon',
      tag: TAG,
      summary: 'Rectify a vCon (right to rectification)',
      description:
        'GDPR Art. 16, never an overwrite: makes a new version (new uuid, amended pointing at the prior, core draft §4.1.9) with the corrections applied and an amendment_provenance analysis listing the corrected pointers, the reason and the time; stores it beside the prior, which stays byte for byte as it was; records vcon_created with reason "rectification" in the ledger. 404: no such vCon. 409: the prior is signed (its signature covers the content) or encrypted (unreadable here). 422: a correction cannot be applied (the message names corrections[i]) or the corrected vCon is not valid.',
      scope: 'admin',
      body: jsonBody(rectificationRequest, 'What to correct, and why.'),
      ok: {
        '201': json(rectificationResponse, 'The new version is stored.', {
          Location: { schema: { type: 'string' }, description: 'Path of the new version.' },
          ETag: { schema: { type: 'string' }, description: 'The version, quoted ("1").' },
        }),
      },
      errors: ['400', '404', '409', '413', '415', '422', '503'],
    }),
  },
}
