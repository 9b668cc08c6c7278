/**
 * @module What a route is and what its handler receives. Routes declare the scope they need; the server
 * authenticates, checks the scope, applies the rate limit and (for ingest routes) admission control before the
 * handler runs, so handlers only deal with their own work.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AppContext } from '../app/context.js'
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import type { TokenRecord } from '../ports/token-store.js'
import type { Admission } from './admission.js'
import type { KeyedLock } from './keyed-lock.js'
import type { HttpMethod } from './router.js'
import type { WriteBatcher } from './write-batcher.js'

/**
 * Who may call a route: `public` (no token: /health, /ready, /version, /openapi.json, /docs), `read` (read or
 * admin tokens), `ingest` (ingest or admin tokens; the handler checks list bindings), `admin` (admin tokens).
 */
export type Access = 'public' | 'read' | 'ingest' | 'admin'

/** Shared by every request of one server. */
export interface HttpServices {
  /** The store and queue with failures turned into 503 (guard-backends.ts). */
  readonly store: Store
  readonly queue: Queue
  readonly batcher: WriteBatcher
  readonly admission: Admission
  readonly locks: KeyedLock
}

/** One request as a handler sees it. */
export interface RequestContext {
  readonly app: AppContext
  readonly services: HttpServices
  readonly req: IncomingMessage
  readonly res: ServerResponse
  readonly url: URL
  readonly params: Readonly<Record<string, string>>
  /** The authenticated token (undefined on public routes). */
  readonly token: TokenRecord | undefined
  readonly requestId: string
}

export type Handler = (rc: RequestContext) => Promise<void>

export interface Route {
  readonly method: HttpMethod
  readonly path: string
  readonly access: Access
  /** Ingest routes pass admission control (queue backlog) before the handler runs. */
  readonly admission?: boolean
  readonly handle: Handler
}
