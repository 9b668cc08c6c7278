/**
 * @module /v1 vCon resources: create (`POST /v1/vcons`, group-committed, 409 on an existing uuid, Idempotency-Key
 * honoured), replace (`PUT`), read (the stored text byte for byte, ETag = version), delete (with the vCon's queue
 * entries), and the keyset-paginated list.
 */
import { requireScope } from '../../auth/authenticate.js'
import { ServerError } from '../../errors/server-error.js'
import { recordConsentAccepted } from '../../ledger/consent-accepted.js'
import { API_VCONS_ENQUEUED, INGEST_VCONS } from '../../observability/metric-names.js'
import type { ListQuery } from '../../ports/store.js'
import { normaliseMailto, normaliseName, normaliseTel } from '../../store/derive-index.js'
import { ingestOne } from '../ingest/ingest-one.js'
import { resolveIngress } from '../ingest/ingress-jobs.js'
import { prepareVcon } from '../ingest/prepare-vcon.js'
import { idempotencyKeyOf, readVconText } from '../ingest/request-body.js'
import { notFound, pathUuid } from '../path-uuid.js'
import { queryDate, queryInt, queryList, queryString } from '../query.js'
import { sendBody, sendEmpty, sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { eraseOne } from '../routes-privacy/erasure.js'
import { receiptOf, vconLocation } from './receipt.js'

/**
 * The media type of stored vCons in /v1 answers. The draft registers `application/vcon`; the `+json` structured
 * suffix (RFC 6839) is used so that generic JSON tooling recognises the body, and it is the `cty` the draft's own
 * JWE example names. It is the same for the three forms (a signed or encrypted vCon is JSON too).
 */
export const VCON_RESPONSE_TYPE = 'application/vcon+json; charset=utf-8'

/** `?ingress=a&ingress=b`: the lists a create or replace enqueues into; checks the token's binding. */
function ingressOf(rc: RequestContext): string[] {
  const lists = queryList(rc.url, 'ingress')
  if (rc.token !== undefined) requireScope(rc.token, 'ingest', lists)
  return lists
}

async function create(rc: RequestContext): Promise<void> {
  const lists = ingressOf(rc)
  const jobsFor = resolveIngress(rc.app.chains, lists)
  const idempotencyKey = idempotencyKeyOf(rc.req)
  const limit = rc.app.config.limits.maxBodyBytes
  const text = await readVconText(rc.req, limit)
  const result = await ingestOne(rc.app, rc.services, text, {
    jobsFor,
    lists,
    maxBytes: limit,
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  })
  const uuid = result.prepared.record.uuid
  if (result.outcome === 'exists') {
    throw new ServerError(
      'CONFLICT',
      `A vCon with uuid ${uuid} is already stored; replace it with PUT ${vconLocation(uuid)}, or send an Idempotency-Key so that retries of one create are safe.`,
    )
  }
  // A replay answers exactly as the first request did: the receipt depends only on the request body.
  sendJson(rc.res, 201, receiptOf(result.prepared, 1), {
    location: vconLocation(uuid),
    etag: '"1"',
  })
}

/** The vCon a stored text holds, as ingest reads it (a signed one's payload); undefined if it cannot be read. */
function storedVconOf(json: string, rc: RequestContext): unknown {
  try {
    const { mode } = rc.app.config.validation
    return prepareVcon(json, { mode, maxBytes: Buffer.byteLength(json), now: rc.app.now }).record
      .vcon
  } catch {
    return undefined
  }
}

async function replace(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  const lists = ingressOf(rc)
  const jobsFor = resolveIngress(rc.app.chains, lists)
  const limit = rc.app.config.limits.maxBodyBytes
  const text = await readVconText(rc.req, limit)
  const prepared = prepareVcon(text, {
    mode: rc.app.config.validation.mode,
    maxBytes: limit,
    now: rc.app.now,
  })
  if (prepared.record.uuid !== uuid) {
    throw new ServerError(
      'BAD_REQUEST',
      `The body is the vCon ${prepared.record.uuid} but the path names ${uuid}; PUT replaces the vCon the path names, so they must be equal.`,
    )
  }
  const { store, queue, locks } = rc.services
  const recorder = rc.app.ledger?.recorder
  const { status, version, before } = await locks.run(uuid, async () => {
    // The version replaced, to tell a consent it newly carries (only read when the ledger records events).
    const before = recorder === undefined ? undefined : await store.get(uuid)
    const status = await store.put(prepared.record)
    return { status, version: (await store.get(uuid))?.version ?? 1, before }
  })
  recorder?.record({
    event: status === 'created' ? 'vcon_created' : 'vcon_enhanced',
    vconUuid: uuid,
    vcon: prepared.record.json,
    ...(status === 'created' ? {} : { reason: 'correction' }),
  })
  recordConsentAccepted(rc.app, {
    vconUuid: uuid,
    json: prepared.record.json,
    after: prepared.record.vcon,
    ...(before === undefined ? {} : { before: storedVconOf(before.json, rc) }),
  })
  const jobs = jobsFor(uuid)
  // Stored first, then queued. PUT is idempotent, so when the enqueue fails the 503 asks for a plain retry.
  if (jobs.length > 0) await queue.enqueue(jobs)
  for (const list of lists) rc.app.metrics.inc(API_VCONS_ENQUEUED, { list, source: 'new' })
  rc.app.metrics.inc(INGEST_VCONS, { outcome: status, form: prepared.form })
  sendJson(rc.res, status === 'created' ? 201 : 200, receiptOf(prepared, version), {
    ...(status === 'created' ? { location: vconLocation(uuid) } : {}),
    etag: `"${version}"`,
  })
}

async function read(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  const stored = await rc.services.store.get(uuid)
  if (stored === undefined) throw notFound(uuid)
  const etag = `"${stored.version}"`
  const match = rc.req.headers['if-none-match']
  if (typeof match === 'string' && match.split(',').some((t) => t.trim() === etag)) {
    sendEmpty(rc.res, 304, { etag })
    return
  }
  sendBody(rc.res, 200, VCON_RESPONSE_TYPE, stored.json, {
    etag,
    'last-modified': new Date(stored.storedAt).toUTCString(),
  })
}

async function remove(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  // The same erasure as POST /v1/privacy/erasures: store, indexes, queue entries, dead letters, privacy records,
  // compaction, and a vcon_deleted event registered before the answer.
  if (!(await eraseOne(rc, uuid, 'controller_instruction'))) throw notFound(uuid)
  sendEmpty(rc.res, 204)
}

/** The list filters of `GET /v1/vcons` (and the Conserver's party search). */
export function listQueryOf(url: URL, limit: number): ListQuery {
  const since = queryDate(url, 'since')
  const until = queryDate(url, 'until')
  const tel = queryString(url, 'tel', 200)
  const mailto = queryString(url, 'mailto', 320)
  const name = queryString(url, 'name', 200)
  const tag = queryString(url, 'tag', 500)
  const subject = queryString(url, 'subject', 500)
  const after = queryString(url, 'cursor', 512)
  return {
    limit,
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    // Normalised as the index keeps them (derive-index.ts), so "+1 555 0100" finds "tel:+15550100".
    ...(tel === undefined ? {} : { tel: normaliseTel(tel) }),
    ...(mailto === undefined ? {} : { mailto: normaliseMailto(mailto) }),
    ...(name === undefined ? {} : { name: normaliseName(name) }),
    ...(tag === undefined ? {} : { tag }),
    ...(subject === undefined ? {} : { subject }),
    ...(after === undefined ? {} : { after }),
  }
}

async function list(rc: RequestContext): Promise<void> {
  const limit = queryInt(rc.url, 'limit', { min: 1, max: 1000, fallback: 50 })
  const page = await rc.services.store.list(listQueryOf(rc.url, limit))
  sendJson(rc.res, 200, {
    items: page.items.map((item) => ({
      uuid: item.uuid,
      createdAt: item.createdAt,
      ...(item.subject === undefined ? {} : { subject: item.subject }),
    })),
    ...(page.next === undefined ? {} : { next: page.next }),
  })
}

export const vconRoutes: readonly Route[] = [
  { method: 'POST', path: '/v1/vcons', access: 'ingest', admission: true, handle: create },
  { method: 'GET', path: '/v1/vcons', access: 'read', handle: list },
  { method: 'PUT', path: '/v1/vcons/{uuid}', access: 'admin', admission: true, handle: replace },
  { method: 'GET', path: '/v1/vcons/{uuid}', access: 'read', handle: read },
  { method: 'DELETE', path: '/v1/vcons/{uuid}', access: 'admin', handle: remove },
]
