/**
 * @module `POST /v1/vcons:bulk`: NDJSON in (one vCon per line, optionally gzipped), one result line per vCon out,
 * streaming both ways. Results come in input order as `{line, uuid, status, error?}`, where status is what a
 * single `POST /v1/vcons` would have answered (201, 409, 422, ...). A bad line never stops the others; every line
 * goes through the same write batcher as single creates, so a bulk request is group-committed in large batches.
 * A body over `limits.max_bulk_bytes`, or one that breaks off (bad gzip, client gone), ends the answer with a
 * last line `{line: null, status, error}` after the results of the lines read so far.
 */

import type { ServerResponse } from 'node:http'
import { createGunzip } from 'node:zlib'
import { requireScope } from '../../auth/authenticate.js'
import { NDJSON_MEDIA_TYPES, requireBodyFormat } from '../content-type.js'
import { statusOf } from '../error-status.js'
import { ingestOne } from '../ingest/ingest-one.js'
import { resolveIngress } from '../ingest/ingress-jobs.js'
import { ndjsonLines } from '../ndjson-lines.js'
import { queryList } from '../query.js'
import { checkDeclaredLength } from '../read-body.js'
import { errorBody } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { toServerError } from '../to-server-error.js'

/** Lines processed at once per request; reading pauses (TCP backpressure) while this many wait. */
const MAX_INFLIGHT = 256

type LineResult = {
  readonly line: number | null
  readonly uuid: string | null
  readonly status: number
  readonly error?: ReturnType<typeof errorBody>['error']
}

function waitDrain(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

/** The uuid of a body the validator refused, when it is JSON with a string uuid (to help clients match). */
function uuidOf(text: string): string | null {
  try {
    const value: unknown = JSON.parse(text)
    const uuid = (value as { uuid?: unknown } | null)?.uuid
    return typeof uuid === 'string' && uuid.length <= 64 ? uuid : null
  } catch {
    return null
  }
}

async function bulk(rc: RequestContext): Promise<void> {
  const { req, res, app } = rc
  const lists = queryList(rc.url, 'ingress')
  if (rc.token !== undefined) requireScope(rc.token, 'ingest', lists)
  const jobsFor = resolveIngress(app.chains, lists)
  const format = requireBodyFormat(req, NDJSON_MEDIA_TYPES)
  const { maxBodyBytes, maxBulkBytes } = app.config.limits
  checkDeclaredLength(req, maxBulkBytes)

  let source: AsyncIterable<Buffer> = req
  if (format.gzip) {
    const gunzip = createGunzip()
    req.on('error', (e) => gunzip.destroy(e))
    source = req.pipe(gunzip)
  }
  res.writeHead(200, { 'content-type': 'application/x-ndjson; charset=utf-8' })

  const waiting: Promise<LineResult>[] = []
  const writeNext = async (): Promise<void> => {
    const result = await (waiting.shift() as Promise<LineResult>)
    if (!res.write(`${JSON.stringify(result)}\n`)) await waitDrain(res)
  }
  const failed = (line: number | null, uuid: string | null, thrown: unknown): LineResult => {
    const { error, unexpected } = toServerError(thrown, rc.requestId)
    if (unexpected) {
      app.log.error('bulk line failed', { requestId: rc.requestId, line, error: String(thrown) })
    }
    return { line, uuid, status: statusOf(error.code), error: errorBody(error).error }
  }

  let ended: LineResult | undefined
  try {
    for await (const item of ndjsonLines(source, {
      maxLine: maxBodyBytes,
      maxTotal: maxBulkBytes,
    })) {
      if (res.destroyed) break
      if ('error' in item) {
        waiting.push(Promise.resolve(failed(item.line, null, item.error)))
      } else {
        const { line, text } = item
        waiting.push(
          ingestOne(app, rc.services, text, { jobsFor, lists, maxBytes: maxBodyBytes }).then(
            (r): LineResult => {
              const uuid = r.prepared.record.uuid
              if (r.outcome === 'exists') {
                const message = `A vCon with uuid ${uuid} is already stored; replace it with PUT.`
                return { line, uuid, status: 409, error: { code: 'CONFLICT', message } }
              }
              return { line, uuid, status: 201 }
            },
            (thrown: unknown) => failed(line, uuidOf(text), thrown),
          ),
        )
      }
      while (waiting.length >= MAX_INFLIGHT) await writeNext()
    }
  } catch (thrown) {
    // The body broke off: what was read is answered, then one last line says why the rest was not.
    ended = failed(null, null, thrown)
  }
  while (waiting.length > 0) await writeNext()
  if (ended === undefined) {
    res.end()
    return
  }
  res.end(`${JSON.stringify(ended)}\n`)
  // The rest of the body is not wanted: half-close once the answer is out instead of draining it.
  res.on('finish', () => req.socket?.end())
}

export const bulkRoutes: readonly Route[] = [
  { method: 'POST', path: '/v1/vcons:bulk', access: 'ingest', admission: true, handle: bulk },
]
