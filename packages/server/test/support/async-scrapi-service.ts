/**
 * @module A fake asynchronous SCRAPI service for client tests: a REAL HTTP server on 127.0.0.1 (random port) in
 * front of a real in-process TransparencyLog. `POST /entries` registers the statement in the log at once but
 * answers `303 See Other` with `Location: /entries/pending-{n}` (draft-ietf-scitt-scrapi -11; scitt.md §2.3); each
 * GET of that location answers `302 Found` (still running, same Location, `Retry-After: 0`) for the first
 * `pendingPolls` polls, then `200` with the log's receipt and the final `Location: /entries/{entryId}`.
 * `locationOnSeeOther: false` makes the 303 come without a Location. Every request is recorded.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { TransparencyLog } from '@vconkit/ledger'

export interface ServiceRequest {
  readonly method: string
  readonly path: string
  readonly headers: IncomingHttpHeaders
}

export interface AsyncScrapiService {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string
  readonly requests: ServiceRequest[]
  /** GETs of pending locations so far. */
  polls(): ServiceRequest[]
  close(): Promise<void>
}

export interface AsyncScrapiServiceOptions {
  readonly log: TransparencyLog
  /** Polls answered 302 before the receipt; Infinity for a service that never finishes. */
  readonly pendingPolls: number
  /** Default true; false answers the 303 without a Location header. */
  readonly locationOnSeeOther?: boolean
}

interface Pending {
  readonly entryId: string
  readonly receipt: Uint8Array
  polls: number
}

export async function startAsyncScrapiService(
  options: AsyncScrapiServiceOptions,
): Promise<AsyncScrapiService> {
  const requests: ServiceRequest[] = []
  const pending = new Map<string, Pending>()
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    requests.push({ method: req.method ?? '', path, headers: req.headers })
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      void (async () => {
        if (req.method === 'POST' && path === '/entries') {
          const registration = await options.log.register(new Uint8Array(Buffer.concat(chunks)))
          const id = `pending-${pending.size + 1}`
          pending.set(id, { ...registration, polls: 0 })
          const headers: Record<string, string> = { 'retry-after': '0', 'content-length': '0' }
          if (options.locationOnSeeOther !== false) headers.location = `/entries/${id}`
          res.writeHead(303, headers).end()
          return
        }
        const waiting =
          req.method === 'GET' ? pending.get(path.replace(/^\/entries\//, '')) : undefined
        if (waiting === undefined) {
          res.writeHead(404, { 'content-length': '0' }).end()
          return
        }
        waiting.polls++
        if (waiting.polls <= options.pendingPolls) {
          res.writeHead(302, { location: path, 'retry-after': '0', 'content-length': '0' }).end()
          return
        }
        res
          .writeHead(200, {
            'content-type': 'application/cose',
            'content-length': waiting.receipt.byteLength,
            location: `/entries/${waiting.entryId}`,
          })
          .end(waiting.receipt)
      })().catch((error: unknown) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error))
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    requests,
    polls: () =>
      requests.filter((r) => r.method === 'GET' && r.path.startsWith('/entries/pending-')),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
