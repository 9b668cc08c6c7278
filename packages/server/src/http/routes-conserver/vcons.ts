/**
 * @module The Conserver's batch routes: `GET /vcons?vcon_uuids=a&vcon_uuids=b` (an array in request order with
 * null for misses, each vCon as its stored text) and `GET /vcons/search?tel=&mailto=&name=` (the uuids matching
 * every given party field; 400 with none).
 */
import { ServerError } from '../../errors/server-error.js'
import { isUuid } from '../ingest/prepare-vcon.js'
import { queryList } from '../query.js'
import { JSON_TYPE, sendBody, sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { listQueryOf } from '../routes-v1/vcons.js'

const MAX_BATCH = 1000
/** Party searches answer at most this many uuids (the Conserver returns whole sets; this bounds one answer). */
const MAX_SEARCH = 10_000

async function batch(rc: RequestContext): Promise<void> {
  const uuids = rc.url.searchParams.getAll('vcon_uuids')
  if (uuids.length > MAX_BATCH) {
    throw new ServerError('BAD_REQUEST', `At most ${MAX_BATCH} vcon_uuids per request.`)
  }
  const wellFormed = uuids.filter(isUuid)
  const found = wellFormed.length === 0 ? [] : await rc.services.store.getMany(wellFormed)
  const byUuid = new Map<string, string>()
  found.forEach((stored) => {
    if (stored !== undefined) byUuid.set(stored.uuid, stored.json)
  })
  // Spliced as text so that every vCon comes back exactly as stored.
  sendBody(rc.res, 200, JSON_TYPE, `[${uuids.map((u) => byUuid.get(u) ?? 'null').join(',')}]`)
}

async function search(rc: RequestContext): Promise<void> {
  const given = ['tel', 'mailto', 'name'].filter((p) => queryList(rc.url, p).length > 0)
  if (given.length === 0) {
    throw new ServerError('BAD_REQUEST', 'Give at least one of tel, mailto or name.')
  }
  const base = listQueryOf(rc.url, 1000)
  const uuids: string[] = []
  let after: string | undefined
  do {
    const page = await rc.services.store.list(after === undefined ? base : { ...base, after })
    for (const item of page.items) uuids.push(item.uuid)
    after = page.next
  } while (after !== undefined && uuids.length < MAX_SEARCH)
  sendJson(rc.res, 200, uuids.slice(0, MAX_SEARCH))
}

export const conserverBatchRoutes: readonly Route[] = [
  { method: 'GET', path: '/vcons', access: 'read', handle: batch },
  { method: 'GET', path: '/vcons/search', access: 'read', handle: search },
]
