/**
 * @module The SCRAPI endpoints of the embedded transparency ledger (draft-ietf-scitt-scrapi -11; scitt.md §2.3):
 * `POST /entries` (a COSE_Sign1 signed statement as application/cose or RFC 9943's
 * application/scitt-statement+cose → 201, the receipt, `Location: /entries/{id}`), `GET /entries/{id}` (the
 * receipt), `GET /signed-statements/{id}` (the transparent statement: the registered statement with its receipt
 * under 394), `GET /entries?from=&limit=&sub=` (paged log export for
 * `vcon audit replay` and `history`), `GET /.well-known/scitt-keys` and `/{kid}` (COSE_KeySet, retired keys
 * included), `GET /checkpoint` (signed tree head) and `GET /consistency?from=&to=` (RFC 9942 receipt of
 * consistency). Errors of these routes are RFC 9290 concise problem details (CBOR: -1 title, -2 detail), as
 * SCRAPI asks; authentication failures come from the shared layer as the API's JSON errors. Receipts and
 * transparent statements are application/cose unless Accept prefers the RFC 9943 type (scrapi-media.ts).
 */
import {
  encodeDeterministic,
  isLedgerError,
  type Label,
  type LedgerErrorCode,
  type TransparencyLog,
} from '@vconkit/ledger'
import { ServerError } from '../errors/server-error.js'
import { statusOf } from './error-status.js'
import { readBody } from './read-body.js'
import { sendBody, sendJson } from './respond.js'
import type { Handler, RequestContext, Route } from './route.js'
import {
  acceptedMediaType,
  COSE_TYPE,
  coseResponseType,
  SCITT_RECEIPT_TYPE,
  SCITT_STATEMENT_TYPE,
  STATEMENT_MEDIA_TYPES,
} from './scrapi-media.js'

export const CBOR_TYPE = 'application/cbor'
export const COSE_KEY_TYPE = 'application/cose-key'
export const PROBLEM_TYPE = 'application/concise-problem-details+cbor'

/** Largest statement body read (the registration policy refuses more than 16 KiB anyway). */
const MAX_STATEMENT_BODY = 64 * 1024
const ENTRY_ID = /^[0-9a-f]{64}$/
const MAX_PAGE = 1000

/** A SCRAPI error: its HTTP status and the RFC 9290 title and detail. */
class Problem extends Error {
  readonly status: number
  readonly title: string

  constructor(status: number, title: string, detail: string) {
    super(detail)
    this.status = status
    this.title = title
  }
}

/** HTTP status of a ledger refusal: the client's statement is wrong (400) unless storage is broken. */
function ledgerStatus(code: LedgerErrorCode): number {
  return code === 'LEDGER_STORE_CORRUPT' || code === 'LEDGER_KEY_RETIRED' ? 500 : 400
}

function sendProblem(rc: RequestContext, status: number, title: string, detail: string): void {
  // RFC 9290 §2: -1 title, -2 detail (text strings).
  const body = encodeDeterministic(
    new Map<Label, unknown>([
      [-1, title],
      [-2, detail],
    ]),
  )
  sendBody(rc.res, status, PROBLEM_TYPE, body)
}

/** Runs a handler, answering its ledger and request errors as concise problem details. */
function scrapi(handler: Handler): Handler {
  return async (rc) => {
    try {
      await handler(rc)
    } catch (error) {
      if (rc.res.headersSent) throw error
      if (error instanceof Problem) return sendProblem(rc, error.status, error.title, error.message)
      if (isLedgerError(error)) {
        return sendProblem(rc, ledgerStatus(error.code), error.code, error.message)
      }
      if (error instanceof ServerError && error.code !== 'UNAVAILABLE') {
        return sendProblem(rc, statusOf(error.code), error.code, error.message)
      }
      throw error
    }
  }
}

function ledgerOf(rc: RequestContext): TransparencyLog {
  const log = rc.app.ledger?.log
  if (log === undefined) {
    throw new Problem(
      404,
      'No embedded ledger',
      'This conserver has no embedded transparency ledger (ledger.mode is remote or off).',
    )
  }
  return log
}

function entryIdOf(rc: RequestContext): string {
  const id = (rc.params.id ?? '').toLowerCase()
  if (!ENTRY_ID.test(id)) {
    throw new Problem(
      404,
      'Not Found',
      'Entry ids are the 64 lowercase hex digits of the leaf hash.',
    )
  }
  return id
}

function sizeParam(rc: RequestContext, name: string): number | undefined {
  const raw = rc.url.searchParams.get(name)
  if (raw === null || raw === '') return undefined
  if (!/^\d{1,15}$/.test(raw)) {
    throw new Problem(
      400,
      'Bad Request',
      `${name} must be a whole number >= 0, not ${JSON.stringify(raw)}.`,
    )
  }
  return Number(raw)
}

/**
 * Sends a receipt or transparent statement: the same bytes as `specific` or application/cose, as Accept asks;
 * Vary tells caches the answer depends on it (RFC 9110 §12.5.5).
 */
function sendCose(
  rc: RequestContext,
  status: number,
  specific: string,
  bytes: Uint8Array,
  headers: Record<string, string> = {},
): void {
  const type = coseResponseType(rc.req.headers.accept, specific)
  sendBody(rc.res, status, type, bytes, { ...headers, vary: 'Accept' })
}

async function register(rc: RequestContext): Promise<void> {
  const log = ledgerOf(rc)
  const header = rc.req.headers['content-type']
  if (acceptedMediaType(header, STATEMENT_MEDIA_TYPES) === undefined) {
    throw new Problem(
      415,
      'Unsupported Media Type',
      `Send the signed statement (a COSE_Sign1) with Content-Type ${STATEMENT_MEDIA_TYPES.join(' or ')}, not ${header === undefined || header.trim() === '' ? 'no Content-Type' : JSON.stringify(header.slice(0, 100))}.`,
    )
  }
  const body = await readBody(rc.req, { limit: MAX_STATEMENT_BODY, gzip: false })
  const registration = await log.register(new Uint8Array(body))
  sendCose(rc, 201, SCITT_RECEIPT_TYPE, registration.receipt, {
    location: `/entries/${registration.entryId}`,
  })
}

async function receipt(rc: RequestContext): Promise<void> {
  const id = entryIdOf(rc)
  const bytes = await ledgerOf(rc).getReceipt(id)
  if (bytes === undefined) throw new Problem(404, 'Not Found', `No entry ${id} in this log.`)
  sendCose(rc, 200, SCITT_RECEIPT_TYPE, bytes)
}

async function transparentStatement(rc: RequestContext): Promise<void> {
  const id = entryIdOf(rc)
  const bytes = await ledgerOf(rc).getTransparentStatement(id)
  if (bytes === undefined) throw new Problem(404, 'Not Found', `No entry ${id} in this log.`)
  // A transparent statement is a signed statement with receipts in its unprotected header (RFC 9943).
  sendCose(rc, 200, SCITT_STATEMENT_TYPE, bytes)
}

async function listEntries(rc: RequestContext): Promise<void> {
  const log = ledgerOf(rc)
  const from = sizeParam(rc, 'from') ?? 0
  const limit = Math.min(sizeParam(rc, 'limit') ?? 100, MAX_PAGE)
  if (limit < 1) throw new Problem(400, 'Bad Request', `limit must be 1 to ${MAX_PAGE}.`)
  const sub = rc.url.searchParams.get('sub')
  const entries =
    sub === null || sub === ''
      ? await log.entries(from, limit)
      : await log.entriesBySubject(sub, { afterIndex: from - 1, limit })
  const last = entries.at(-1)
  const { treeSize } = await log.treeHead()
  sendJson(rc.res, 200, {
    treeSize,
    entries: entries.map((e) => ({
      entryId: e.entryId,
      index: e.index,
      iss: e.iss,
      sub: e.sub,
      ...(e.iat === undefined ? {} : { iat: e.iat }),
      registeredAt: e.registeredAt,
      receiptTreeSize: e.receiptTreeSize,
      statement: Buffer.from(e.statement).toString('base64url'),
    })),
    ...(entries.length === limit && last !== undefined ? { next: last.index + 1 } : {}),
  })
}

async function keySet(rc: RequestContext): Promise<void> {
  sendBody(rc.res, 200, CBOR_TYPE, await ledgerOf(rc).keySet(), { 'cache-control': 'max-age=60' })
}

async function oneKey(rc: RequestContext): Promise<void> {
  const raw = rc.params.kid ?? ''
  const kid = /^[A-Za-z0-9_-]+$/.test(raw) ? Buffer.from(raw, 'base64url') : undefined
  const key = kid === undefined ? undefined : await ledgerOf(rc).logKey(new Uint8Array(kid))
  if (key === undefined) {
    throw new Problem(
      404,
      'Not Found',
      `No log key with kid ${raw} (send the kid base64url-encoded).`,
    )
  }
  sendBody(rc.res, 200, COSE_KEY_TYPE, key, { 'cache-control': 'max-age=60' })
}

async function checkpoint(rc: RequestContext): Promise<void> {
  const log = ledgerOf(rc)
  const size = sizeParam(rc, 'size')
  const found = size === undefined ? await log.checkpoint() : await log.checkpointAt(size)
  if (found === undefined) {
    throw new Problem(
      404,
      'Not Found',
      `No checkpoint was signed at size ${size}; ask without size.`,
    )
  }
  sendBody(rc.res, 200, COSE_TYPE, found.bytes, { 'x-tree-size': found.treeSize })
}

async function consistency(rc: RequestContext): Promise<void> {
  const log = ledgerOf(rc)
  const from = sizeParam(rc, 'from')
  const to = sizeParam(rc, 'to') ?? (await log.treeHead()).treeSize
  if (from === undefined || !(from > 0 && from < to)) {
    throw new Problem(
      400,
      'Bad Request',
      `A consistency proof needs 0 < from < to (to defaults to the current size), not from=${from} to=${to}.`,
    )
  }
  sendBody(rc.res, 200, COSE_TYPE, await log.consistencyReceipt(from, to))
}

export const scrapiRoutes: readonly Route[] = [
  { method: 'POST', path: '/entries', access: 'admin', handle: scrapi(register) },
  { method: 'GET', path: '/entries', access: 'read', handle: scrapi(listEntries) },
  { method: 'GET', path: '/entries/{id}', access: 'read', handle: scrapi(receipt) },
  {
    method: 'GET',
    path: '/signed-statements/{id}',
    access: 'read',
    handle: scrapi(transparentStatement),
  },
  { method: 'GET', path: '/.well-known/scitt-keys', access: 'public', handle: scrapi(keySet) },
  {
    method: 'GET',
    path: '/.well-known/scitt-keys/{kid}',
    access: 'public',
    handle: scrapi(oneKey),
  },
  { method: 'GET', path: '/checkpoint', access: 'public', handle: scrapi(checkpoint) },
  { method: 'GET', path: '/consistency', access: 'public', handle: scrapi(consistency) },
]
