/**
 * @module `GET /v1/search?q=`: full-text search over subject, party names, transcripts and summaries (the store's
 * FTS5 or tsvector index), with snippets that mark the matched words between « and ».
 */
import { ServerError } from '../../errors/server-error.js'
import { queryInt, queryString } from '../query.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'

async function search(rc: RequestContext): Promise<void> {
  const q = queryString(rc.url, 'q', 500)
  if (q === undefined || q.trim() === '') {
    throw new ServerError('BAD_REQUEST', 'Query parameter q is required: the words to search for.')
  }
  const limit = queryInt(rc.url, 'limit', { min: 1, max: 100, fallback: 20 })
  const hits = await rc.services.store.search(q, limit)
  sendJson(rc.res, 200, {
    hits: hits.map((h) => ({
      uuid: h.uuid,
      createdAt: h.createdAt,
      snippet: h.snippet,
      rank: h.rank,
    })),
  })
}

export const searchRoutes: readonly Route[] = [
  { method: 'GET', path: '/v1/search', access: 'read', handle: search },
]
