/**
 * @module The queue's dead letters: `GET /v1/dead-letters` lists them with their error, failed step and attempt;
 * `POST /v1/dead-letters:replay` puts them back at the step that failed (by ids, or a list's oldest `limit`).
 */
import { ServerError } from '../../errors/server-error.js'
import { API_VCONS_ENQUEUED } from '../../observability/metric-names.js'
import type { DeadLetter } from '../../ports/queue.js'
import { readJsonObject } from '../json-body.js'
import { queryInt, queryString } from '../query.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'

/** A dead letter as the API shows it (times as ISO 8601). */
export function deadLetterJson(d: DeadLetter): Record<string, unknown> {
  return {
    id: d.id,
    vconUuid: d.vconUuid,
    list: d.list,
    chain: d.chain,
    step: d.step,
    failedStep: d.failedStep,
    attempt: d.attempt,
    error: d.error,
    failedAt: new Date(d.failedAt).toISOString(),
  }
}

async function list(rc: RequestContext): Promise<void> {
  const listName = queryString(rc.url, 'list', 200)
  const limit = queryInt(rc.url, 'limit', { min: 1, max: 1000, fallback: 100 })
  const letters = await rc.services.queue.deadLetters({
    limit,
    ...(listName === undefined ? {} : { list: listName }),
  })
  sendJson(rc.res, 200, { items: letters.map(deadLetterJson) })
}

async function replay(rc: RequestContext): Promise<void> {
  const body = await readJsonObject(
    rc.req,
    1024 * 1024,
    '{ "ids": [...] } or { "list": "name", "limit": n }',
  )
  const bad = (what: string) =>
    new ServerError(
      'BAD_REQUEST',
      `${what}; send { "ids": ["…"] } or { "list": "name", "limit": 100 } (limit alone replays the oldest of all lists).`,
    )
  const { ids, list: listName, limit } = body
  if (ids !== undefined) {
    if (!Array.isArray(ids) || ids.length === 0 || ids.length > 10_000) {
      throw bad('ids must be a non-empty list of at most 10,000 dead letter ids')
    }
    if (!ids.every((id) => typeof id === 'string' && id.length > 0 && id.length <= 200)) {
      throw bad('every id must be a non-empty string')
    }
  }
  if (listName !== undefined && (typeof listName !== 'string' || listName === '')) {
    throw bad('list must be a non-empty string')
  }
  if (
    limit !== undefined &&
    (!Number.isInteger(limit) || (limit as number) < 1 || (limit as number) > 100_000)
  ) {
    throw bad('limit must be an integer from 1 to 100,000')
  }
  if (ids === undefined && listName === undefined && limit === undefined) {
    throw bad('Name what to replay')
  }
  const replayed = await rc.services.queue.replay({
    ...(ids === undefined ? {} : { ids: ids as string[] }),
    ...(listName === undefined ? {} : { list: listName as string }),
    ...(limit === undefined ? {} : { limit: limit as number }),
  })
  if (typeof listName === 'string' && replayed > 0) {
    rc.app.metrics.inc(API_VCONS_ENQUEUED, { list: listName, source: 'dlq_reprocess' }, replayed)
  }
  sendJson(rc.res, 200, { replayed })
}

export const deadLetterRoutes: readonly Route[] = [
  { method: 'GET', path: '/v1/dead-letters', access: 'read', handle: list },
  { method: 'POST', path: '/v1/dead-letters:replay', access: 'admin', handle: replay },
]
