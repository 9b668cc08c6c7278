/**
 * @module The transparency ledger's operations in the OpenAPI document: SCRAPI (draft-ietf-scitt-scrapi) and the
 * lifecycle receipts kept beside each vCon. Statements and receipts are documented under both application/cose
 * (the SCRAPI examples) and their RFC 9943 types (scrapi-media.ts).
 */
import type { JsonObject } from './openapi-components.js'
import { json, operation, query, uuidParam } from './openapi-operation.js'
import { COSE_TYPE, SCITT_RECEIPT_TYPE, SCITT_STATEMENT_TYPE } from './scrapi-media.js'

const TAG = 'Transparency ledger'

const BINARY: JsonObject = { schema: { type: 'string', contentEncoding: 'binary' } }
/** A COSE body under application/cose and, where given, the RFC 9943 type of the same bytes. */
const coseContent = (specific?: string): JsonObject => ({
  [COSE_TYPE]: BINARY,
  ...(specific === undefined ? {} : { [specific]: BINARY }),
})
const cose = (description: string, headers?: JsonObject, specific?: string): JsonObject => ({
  description,
  ...(headers === undefined ? {} : { headers }),
  content: coseContent(specific),
})
const NEGOTIATED =
  ' Answered as application/cose unless Accept prefers the RFC 9943 type (same bytes; Vary: Accept).'
const cbor = (type: string, description: string): JsonObject => ({
  description,
  content: { [type]: { schema: { type: 'string', contentEncoding: 'binary' } } },
})
const idParam: JsonObject = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string', pattern: '^[0-9a-f]{64}$' },
  description: 'The entry id: lowercase hex of the leaf hash.',
}
const PROBLEMS =
  ' Errors of this route are RFC 9290 concise problem details (application/concise-problem-details+cbor).'

export const SCRAPI_PATHS: JsonObject = {
  '/entries': {
    post: operation({
      id: 'registerSignedStatement',
      tag: TAG,
      summary: 'Register a signed statement (SCRAPI)',
      description: `Verifies the COSE_Sign1 signed statement (issuer key pinned by the server, registration policy: lifecycle event hash envelopes about urn:uuid subjects), appends it and answers its receipt of inclusion (RFC 9942). Registering the same statement again answers the same entry. The statement is sent as application/cose (SCRAPI) or application/scitt-statement+cose (RFC 9943); any other Content-Type is 415.${NEGOTIATED}${PROBLEMS}`,
      scope: 'admin',
      body: { required: true, content: { [SCITT_STATEMENT_TYPE]: BINARY, [COSE_TYPE]: BINARY } },
      ok: {
        '201': cose(
          'The receipt.',
          { Location: { schema: { type: 'string' }, description: '/entries/{id}' } },
          SCITT_RECEIPT_TYPE,
        ),
      },
      errors: ['400', '404', '413', '415'],
    }),
    get: operation({
      id: 'listEntries',
      tag: TAG,
      summary: 'Export log entries',
      description:
        'Entries in log order from index `from` (or those with CWT sub `sub`, after index from-1): the leaf inputs (statements with empty unprotected headers, base64url) for replay and audit.',
      scope: 'read',
      params: [
        query('from', 'First leaf index (default 0).', { type: 'integer', minimum: 0 }),
        query('limit', 'Page size, 1-1000 (default 100).', { type: 'integer', minimum: 1 }),
        query('sub', 'Only entries about this subject (urn:uuid:<vcon uuid>).'),
      ],
      ok: { '200': json({ type: 'object' }, '{treeSize, entries: [...], next?}') },
      errors: ['400', '404'],
    }),
  },
  '/entries/{id}': {
    get: operation({
      id: 'getReceipt',
      tag: TAG,
      summary: 'Resolve a receipt (SCRAPI)',
      description: `The entry's receipt of inclusion, the same bytes every time.${NEGOTIATED}${PROBLEMS}`,
      scope: 'read',
      params: [idParam],
      ok: { '200': cose('The receipt.', undefined, SCITT_RECEIPT_TYPE) },
      errors: ['404'],
    }),
  },
  '/signed-statements/{id}': {
    get: operation({
      id: 'getTransparentStatement',
      tag: TAG,
      summary: 'The transparent statement of an entry',
      description: `The registered statement with its receipt under 394.${NEGOTIATED}${PROBLEMS}`,
      scope: 'read',
      params: [idParam],
      ok: { '200': cose('The transparent statement.', undefined, SCITT_STATEMENT_TYPE) },
      errors: ['404'],
    }),
  },
  '/.well-known/scitt-keys': {
    get: operation({
      id: 'getLogKeys',
      tag: TAG,
      summary: 'The log keys (SCRAPI)',
      description: 'COSE_KeySet of the log keys: the current one first, then retired ones.',
      scope: 'public',
      ok: { '200': cbor('application/cbor', 'COSE_KeySet.') },
      errors: ['404'],
    }),
  },
  '/.well-known/scitt-keys/{kid}': {
    get: operation({
      id: 'getLogKey',
      tag: TAG,
      summary: 'One log key by kid (SCRAPI)',
      scope: 'public',
      params: [
        {
          name: 'kid',
          in: 'path',
          required: true,
          schema: { type: 'string' },
          description: 'The kid (RFC 9679 thumbprint), base64url.',
        },
      ],
      ok: { '200': cbor('application/cose-key', 'COSE_Key.') },
      errors: ['404'],
    }),
  },
  '/checkpoint': {
    get: operation({
      id: 'getCheckpoint',
      tag: TAG,
      summary: 'Signed checkpoint',
      description:
        'The signed tree head (size, root, time) of the current tree, or of `size` if one was signed.',
      scope: 'public',
      params: [query('size', 'A past tree size.', { type: 'integer', minimum: 0 })],
      ok: { '200': cose('The signed checkpoint (COSE_Sign1).') },
      errors: ['400', '404'],
    }),
  },
  '/consistency': {
    get: operation({
      id: 'getConsistencyProof',
      tag: TAG,
      summary: 'Consistency proof between two tree sizes',
      description:
        'An RFC 9942 receipt of consistency from size `from` to `to` (default: the current size).',
      scope: 'public',
      params: [
        query('from', 'The older size (> 0).', { type: 'integer', minimum: 1 }, true),
        query('to', 'The newer size.', { type: 'integer', minimum: 1 }),
      ],
      ok: { '200': cose('The receipt of consistency.') },
      errors: ['400', '404'],
    }),
  },
  '/v1/vcons/{uuid}/receipts': {
    get: operation({
      id: 'listVconReceipts',
      tag: TAG,
      summary: "A vCon's lifecycle events and receipts",
      description:
        'The lifecycle events recorded for the vCon (created, enhanced, sent, deleted), with their signed statements, receipts and transparent statements (base64url); receipt null while registration is pending.',
      scope: 'read',
      params: [uuidParam],
      ok: { '200': json({ type: 'object' }, '{uuid, issuer, ledger, events: [...]}') },
      errors: ['400', '404'],
    }),
  },
  '/v1/vcons/{uuid}/receipts:attach': {
    post: operation({
      id: 'attachVconReceipts',
      tag: TAG,
      summary: 'Add the receipts to the vCon',
      description:
        'Appends one analysis entry of type scitt_receipt holding the registered events (entry id, operation, receipt, transparent statement).',
      scope: 'admin',
      params: [uuidParam],
      ok: { '201': json({ type: 'object' }, '{uuid, field, index, version, receipts}') },
      errors: ['400', '404', '409', '503'],
    }),
  },
}
