/**
 * @module Test helper: the part of a conserver `vcon audit history` reads, served over real HTTP on 127.0.0.1
 * from an in-process @vconkit/ledger transparency log (memory storage), without a conserver. The routes and
 * their JSON mirror packages/server's (routes-scrapi.ts, routes-v1/receipts.ts): GET /v1/vcons/{uuid}/receipts
 * (the deletable event registry), GET /entries?sub=&from=&limit=, GET /signed-statements/{id}, GET
 * /.well-known/scitt-keys, GET /checkpoint and GET /consistency?from=&to=. The registry is whatever the test
 * puts in it, and the checkpoint and consistency routes may be answered by another log than the entries: that
 * is how the tests stage gaps, forks and a split view.
 */
import { createHash } from 'node:crypto'
import { createServer, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  attachReceipt,
  type CreatedLifecycleEvent,
  createLifecycleEvent,
  createLifecycleStatement,
  type LifecycleEventName,
  type SigningKey,
  type TransparencyLog,
} from '@vconkit/ledger'

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url')

/** One event of the registry, as GET /v1/vcons/{uuid}/receipts lists it. */
export interface RegistryEvent {
  readonly seq: number
  readonly event: string
  readonly digest: string
  readonly document: CreatedLifecycleEvent['document']
  readonly statement: string
  readonly entryId: string | null
  readonly receipt: string | null
  readonly transparentStatement: string | null
}

/** A lifecycle event built with the ledger's own functions, and its signed statement. */
export interface BuiltEvent {
  readonly created: CreatedLifecycleEvent
  readonly statement: Uint8Array
}

/** Builds the event document (createLifecycleEvent) and signs its statement (createLifecycleStatement). */
export function buildEvent(
  issuer: SigningKey,
  options: { event: LifecycleEventName; uuid: string; prev: string | null; at: Date },
): BuiltEvent {
  const created = createLifecycleEvent({
    event: options.event,
    vconUuid: options.uuid,
    // A stand-in for vconDigest(snapshot): the auditor never sees the vCon, only this hash.
    vconHash: createHash('sha256').update(`${options.uuid} ${options.event}`).digest('hex'),
    prev: options.prev,
    occurredAt: options.at,
  })
  const statement = createLifecycleStatement(created, {
    iss: 'urn:test:conserver',
    key: issuer,
    iat: options.at,
  })
  return { created, statement }
}

/** Registers a built event in `log` and returns its registry record (seq is the caller's). */
export async function registerEvent(
  log: TransparencyLog,
  built: BuiltEvent,
  seq: number,
): Promise<RegistryEvent> {
  const { entryId, receipt } = await log.register(built.statement)
  return {
    seq,
    event: built.created.document.event,
    digest: built.created.digest,
    document: built.created.document,
    statement: b64(built.statement),
    entryId,
    receipt: b64(receipt),
    transparentStatement: b64(attachReceipt(built.statement, receipt)),
  }
}

/** A running ledger server. */
export interface LedgerServer {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  close(): Promise<void>
}

export interface LedgerServerOptions {
  /** Answers /entries and /signed-statements. */
  readonly log: TransparencyLog
  /** Answers /checkpoint, /consistency and the key set; default `log`. */
  readonly treeLog?: TransparencyLog
  /** The registry by vCon uuid (lowercase). */
  readonly registry: ReadonlyMap<string, readonly RegistryEvent[]>
}

function send(res: ServerResponse, status: number, type: string, body: string | Uint8Array) {
  res.writeHead(status, { 'content-type': type })
  res.end(body)
}

/** Starts the server on an ephemeral port of 127.0.0.1. */
export async function startLedgerServer(options: LedgerServerOptions): Promise<LedgerServer> {
  const { log, registry } = options
  const treeLog = options.treeLog ?? log
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const answer = async () => {
      const path = url.pathname
      const receipts = /^\/v1\/vcons\/([^/]+)\/receipts$/.exec(path)
      const statement = /^\/signed-statements\/([0-9a-f]{64})$/.exec(path)
      if (receipts) {
        const events = registry.get((receipts[1] as string).toLowerCase())
        if (events === undefined) return send(res, 404, 'application/json', '{}')
        const body = { uuid: receipts[1], issuerKey: null, events }
        return send(res, 200, 'application/json', JSON.stringify(body))
      }
      if (path === '/entries') {
        const from = Number(url.searchParams.get('from') ?? 0)
        const limit = Math.min(Number(url.searchParams.get('limit') ?? 100), 1000)
        const sub = url.searchParams.get('sub')
        const entries =
          sub === null || sub === ''
            ? await log.entries(from, limit)
            : await log.entriesBySubject(sub, { afterIndex: from - 1, limit })
        const last = entries.at(-1)
        const body = {
          treeSize: (await log.treeHead()).treeSize,
          entries: entries.map((e) => ({ entryId: e.entryId, index: e.index, sub: e.sub })),
          ...(entries.length === limit && last !== undefined ? { next: last.index + 1 } : {}),
        }
        return send(res, 200, 'application/json', JSON.stringify(body))
      }
      if (statement) {
        const bytes = await log.getTransparentStatement(statement[1] as string)
        if (bytes === undefined) return send(res, 404, 'text/plain', 'no such entry')
        return send(res, 200, 'application/cose', bytes)
      }
      if (path === '/.well-known/scitt-keys') {
        return send(res, 200, 'application/cbor', await treeLog.keySet())
      }
      if (path === '/checkpoint') {
        return send(res, 200, 'application/cose', (await treeLog.checkpoint()).bytes)
      }
      if (path === '/consistency') {
        const from = Number(url.searchParams.get('from'))
        const to = Number(url.searchParams.get('to') ?? (await treeLog.treeHead()).treeSize)
        return send(res, 200, 'application/cose', await treeLog.consistencyReceipt(from, to))
      }
      send(res, 404, 'text/plain', `no route ${path}`)
    }
    answer().catch((error: unknown) => send(res, 500, 'text/plain', String(error)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
