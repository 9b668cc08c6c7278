/**
 * @module The Conserver's vCon routes (vcon-server api.py), so existing adapters work unchanged: `POST /vcon`
 * (201 with the stored vCon), `GET /vcon/{uuid}`, `DELETE /vcon/{uuid}` (always 204), and the partner route
 * `POST /vcon/external-ingress` (204). Bodies are parsed and validated exactly as in /v1.
 *
 * Where the Conserver silently overwrites an existing uuid on `POST /vcon`, so does this route for admin tokens
 * (clients rely on re-posting); an ingest-only token gets 409 instead, so a partner key cannot replace vCons it
 * did not create.
 */
import { requireScope } from '../../auth/authenticate.js'
import { ServerError } from '../../errors/server-error.js'
import { API_VCONS_ENQUEUED } from '../../observability/metric-names.js'
import { ingestOne } from '../ingest/ingest-one.js'
import { resolveIngress } from '../ingest/ingress-jobs.js'
import { idempotencyKeyOf, readVconText } from '../ingest/request-body.js'
import { notFound, pathUuid } from '../path-uuid.js'
import { queryList, queryString } from '../query.js'
import { JSON_TYPE, sendBody, sendEmpty } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { eraseOne } from '../routes-privacy/erasure.js'

async function ingestInto(
  rc: RequestContext,
  lists: readonly string[],
): Promise<{ uuid: string; json: string }> {
  if (rc.token !== undefined) requireScope(rc.token, 'ingest', lists)
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
  const { record } = result.prepared
  if (result.outcome === 'exists') {
    if (rc.token?.scope !== 'admin') {
      throw new ServerError(
        'CONFLICT',
        `A vCon with uuid ${record.uuid} is already stored; only an admin token may overwrite it.`,
      )
    }
    const { store, queue, locks } = rc.services
    await locks.run(record.uuid, () => store.put(record))
    rc.app.ledger?.recorder.record({
      event: 'vcon_enhanced',
      vconUuid: record.uuid,
      vcon: record.json,
      reason: 'correction',
    })
    const jobs = jobsFor(record.uuid)
    if (jobs.length > 0) await queue.enqueue(jobs)
    for (const list of lists) rc.app.metrics.inc(API_VCONS_ENQUEUED, { list, source: 'new' })
  }
  return { uuid: record.uuid, json: record.json }
}

async function post(rc: RequestContext): Promise<void> {
  const { json } = await ingestInto(rc, queryList(rc.url, 'ingress_lists'))
  sendBody(rc.res, 201, JSON_TYPE, json)
}

async function externalIngress(rc: RequestContext): Promise<void> {
  const list = queryString(rc.url, 'ingress_list', 200)
  if (list === undefined) {
    throw new ServerError('BAD_REQUEST', 'Query parameter ingress_list is required.')
  }
  await ingestInto(rc, [list])
  sendEmpty(rc.res, 204)
}

async function read(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  const stored = await rc.services.store.get(uuid)
  if (stored === undefined) throw notFound(uuid)
  sendBody(rc.res, 200, JSON_TYPE, stored.json)
}

async function remove(rc: RequestContext): Promise<void> {
  const uuid = pathUuid(rc)
  await eraseOne(rc, uuid, 'controller_instruction')
  // The Conserver answers 204 whether or not the vCon existed.
  sendEmpty(rc.res, 204)
}

export const conserverVconRoutes: readonly Route[] = [
  { method: 'POST', path: '/vcon', access: 'ingest', admission: true, handle: post },
  {
    method: 'POST',
    path: '/vcon/external-ingress',
    access: 'ingest',
    admission: true,
    handle: externalIngress,
  },
  { method: 'GET', path: '/vcon/{uuid}', access: 'read', handle: read },
  { method: 'DELETE', path: '/vcon/{uuid}', access: 'admin', handle: remove },
]
