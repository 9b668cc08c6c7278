/**
 * @module The Conserver's list routes over the queue: re-queue stored vCons into an ingress list
 * (`POST /vcon/ingress`), take uuids off an egress list (`GET /vcon/egress`, destructive as in the Conserver),
 * list and reprocess a list's dead letters (`GET /dlq`, `POST /dlq/reprocess`), and a list's depth
 * (`GET /stats/queue`, for producer self-throttling).
 */
import { ServerError } from '../../errors/server-error.js'
import { API_VCONS_ENQUEUED } from '../../observability/metric-names.js'
import { resolveIngress } from '../ingest/ingress-jobs.js'
import { isUuid } from '../ingest/prepare-vcon.js'
import { readJsonBody } from '../json-body.js'
import { queryInt, queryString } from '../query.js'
import { sendEmpty, sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'

function requiredList(rc: RequestContext, name: string): string {
  const list = queryString(rc.url, name, 200)
  if (list === undefined)
    throw new ServerError('BAD_REQUEST', `Query parameter ${name} is required.`)
  return list
}

async function reingress(rc: RequestContext): Promise<void> {
  const list = requiredList(rc, 'ingress_list')
  const jobsFor = resolveIngress(rc.app.chains, [list])
  const body = await readJsonBody(rc.req, 4 * 1024 * 1024)
  if (!Array.isArray(body) || !body.every((u) => typeof u === 'string')) {
    throw new ServerError('BAD_REQUEST', 'The body must be a JSON array of vCon uuids.')
  }
  if (body.length > 10_000)
    throw new ServerError('BAD_REQUEST', 'At most 10,000 uuids per request.')
  const uuids = [...new Set((body as string[]).filter(isUuid))]
  const existing: string[] = []
  for (let i = 0; i < uuids.length; i += 1000) {
    const found = await rc.services.store.getMany(uuids.slice(i, i + 1000))
    for (const stored of found) if (stored !== undefined) existing.push(stored.uuid)
  }
  const missing = body.length - existing.length
  // As in the Conserver, uuids that are not stored are skipped with a warning (count only: no uuids in logs).
  if (missing > 0)
    rc.app.log.warn('re-ingress skipped uuids that are not stored', { list, missing })
  const jobs = existing.flatMap(jobsFor)
  if (jobs.length > 0) await rc.services.queue.enqueue(jobs)
  if (existing.length > 0) {
    rc.app.metrics.inc(API_VCONS_ENQUEUED, { list, source: 'reingress' }, existing.length)
  }
  sendEmpty(rc.res, 204)
}

async function egress(rc: RequestContext): Promise<void> {
  const list = requiredList(rc, 'egress_list')
  const limit = queryInt(rc.url, 'limit', { min: 1, max: 10_000, fallback: 1 })
  const popped = await rc.services.queue.popEgress(list, limit)
  // Handing vCons out of an egress list sends them on (draft-howe-vcon-lifecycle vcon_sent).
  for (const uuid of popped) {
    rc.app.ledger?.recorder.record({ event: 'vcon_sent', vconUuid: uuid, reason: 'egress' })
  }
  sendJson(rc.res, 200, popped)
}

async function dlq(rc: RequestContext): Promise<void> {
  const list = requiredList(rc, 'ingress_list')
  const letters = await rc.services.queue.deadLetters({ list, limit: 10_000 })
  sendJson(
    rc.res,
    200,
    letters.map((d) => d.vconUuid),
  )
}

async function reprocess(rc: RequestContext): Promise<void> {
  const list = requiredList(rc, 'ingress_list')
  const count = queryInt(rc.url, 'count', { min: 1, max: 100_000, fallback: 1000 })
  const moved = await rc.services.queue.replay({ list, limit: count })
  if (moved > 0) rc.app.metrics.inc(API_VCONS_ENQUEUED, { list, source: 'dlq_reprocess' }, moved)
  sendJson(rc.res, 200, moved)
}

async function queueStats(rc: RequestContext): Promise<void> {
  const list = requiredList(rc, 'list_name')
  sendJson(rc.res, 200, { list_name: list, depth: await rc.services.queue.depth(list) })
}

export const conserverListRoutes: readonly Route[] = [
  { method: 'POST', path: '/vcon/ingress', access: 'admin', handle: reingress },
  { method: 'GET', path: '/vcon/egress', access: 'admin', handle: egress },
  { method: 'GET', path: '/dlq', access: 'read', handle: dlq },
  { method: 'POST', path: '/dlq/reprocess', access: 'admin', handle: reprocess },
  { method: 'GET', path: '/stats/queue', access: 'read', handle: queueStats },
]
