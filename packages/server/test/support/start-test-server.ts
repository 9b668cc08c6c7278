/**
 * @module Starts a real HTTP API for black-box tests: createHttpServer on 127.0.0.1:0 over the SQLite store, the
 * SQLite queue and the SQLite token store in a fresh temp folder, with tokens of every scope, a default chain,
 * and a chain whose only step always fails (to make dead letters). Tests talk to it over HTTP only.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppContext } from '../../src/app/context.js'
import { generateTokenSecret } from '../../src/auth/token-secret.js'
import { resolveConfig } from '../../src/config/load-config.js'
import type { ChainConfig, ServerConfig } from '../../src/config/server-config.js'
import { createHttpServer, type HttpServer } from '../../src/http/http-server.js'
import { createMetrics } from '../../src/observability/metrics-registry.js'
import { buildChains } from '../../src/pipeline/build-chains.js'
import { runJob } from '../../src/pipeline/run-job.js'
import type { StepFactory } from '../../src/pipeline/step.js'
import { builtinStepRegistry } from '../../src/pipeline/step-registry.js'
import type { Consumer, Queue } from '../../src/ports/queue.js'
import type { Store } from '../../src/ports/store.js'
import type { TokenScope } from '../../src/ports/token-store.js'
import { createSqliteQueue } from '../../src/queue/sqlite/sqlite-queue.js'
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.js'
import { createSqliteTokenStore } from '../../src/store/sqlite/sqlite-token-store.js'
import { type CollectingLogger, createCollectingLogger } from './collecting-logger.js'

/** A step type that always fails permanently: a job through it becomes a dead letter at once. */
export const explodeStepFactory: StepFactory = {
  type: 'explode',
  create: (name) => ({
    name,
    type: 'explode',
    run: async () => ({ kind: 'fail', reason: 'boom: this step always fails', permanent: true }),
  }),
}

/** The chains every test server has: `default` (validate) fed by list "default", `doomed` fed by "doomed". */
export const TEST_CHAINS: readonly ChainConfig[] = [
  {
    name: 'default',
    ingress: ['default'],
    egress: ['done'],
    steps: [{ use: 'validate', name: 'validate', options: {}, timeoutMs: 10_000 }],
    concurrency: 4,
  },
  {
    name: 'doomed',
    ingress: ['doomed'],
    egress: [],
    steps: [{ use: 'explode', name: 'explode', options: {}, timeoutMs: 10_000 }],
    concurrency: 1,
  },
]

export interface TestServerOptions {
  readonly limits?: Partial<ServerConfig['limits']>
  readonly mode?: 'strict' | 'lenient'
  /** Run a pipeline worker in the server process (needed for dead letters and egress). */
  readonly worker?: boolean
  /** Wrap the store or queue the server sees (to simulate outages). */
  readonly wrapStore?: (store: Store) => Store
  readonly wrapQueue?: (queue: Queue) => Queue
}

export interface TestServer {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234 */
  readonly url: string
  readonly ctx: AppContext
  readonly log: CollectingLogger
  /** Secrets by name: admin, ingest (any list), bound (ingest into "default" only), read, configured (admin via config). */
  readonly tokens: Readonly<Record<'admin' | 'ingest' | 'bound' | 'read' | 'configured', string>>
  readonly http: HttpServer
  /** fetch with the admin token (or `token`) unless headers say otherwise. */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>
  close(): Promise<void>
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-http-'))
  const configured = generateTokenSecret()
  const resolved = resolveConfig({ env: {}, overrides: { dataDir: dir, port: 0 } })
  if (!resolved.ok) throw new Error(`test config: ${JSON.stringify(resolved.problems)}`)
  const base = resolved.config
  const config: ServerConfig = {
    ...base,
    host: '127.0.0.1',
    // NORMAL keeps the test suite fast on a shared disk; durability is the store's own tests' concern.
    sqlite: { ...base.sqlite, synchronous: 'NORMAL' },
    validation: { mode: options.mode ?? 'lenient' },
    limits: { ...base.limits, ...options.limits },
    queue: { ...base.queue, maxAttempts: 1, backoffMs: 10 },
    tokens: [{ hash: configured.hash, scope: 'admin', label: 'from config' }],
    chains: TEST_CHAINS,
    log: { level: 'debug' },
  }
  const store = createSqliteStore({ file: join(dir, 'vconkit.db'), synchronous: 'NORMAL' })
  await store.migrate()
  const log = createCollectingLogger()
  const queue = createSqliteQueue({
    db: store.db,
    pollMs: 10,
    onError: (error, context) =>
      log.warn('queue background error', { context, error: String(error) }),
  })
  const tokens = createSqliteTokenStore(store.db)
  const secrets: Record<string, string> = { configured: configured.secret }
  const add = async (name: string, scope: TokenScope, lists?: string[]) => {
    const t = generateTokenSecret()
    await tokens.add({
      id: t.id,
      hash: t.hash,
      scope,
      ...(lists === undefined ? {} : { lists }),
      createdAt: new Date().toISOString(),
    })
    secrets[name] = t.secret
  }
  await add('admin', 'admin')
  await add('ingest', 'ingest')
  await add('bound', 'ingest', ['default'])
  await add('read', 'read')

  const chains = buildChains(config.chains, builtinStepRegistry({ env: {} }, [explodeStepFactory]))
  const ctx: AppContext = {
    config,
    store: options.wrapStore === undefined ? store : options.wrapStore(store),
    queue: options.wrapQueue === undefined ? queue : options.wrapQueue(queue),
    tokens,
    chains,
    metrics: createMetrics(),
    log,
    now: Date.now,
  }
  let consumer: Consumer | undefined
  if (options.worker === true) {
    consumer = queue.consume(
      {
        lists: chains.all().flatMap((c) => c.config.ingress),
        concurrency: 4,
        leaseMs: 30_000,
        retry: { maxAttempts: 1, backoffMs: 10 },
        worker: 'test-worker',
      },
      (job) => runJob(job, { store, queue, chains, log, metrics: ctx.metrics, now: Date.now }),
    )
  }
  const http = createHttpServer(ctx)
  const { port } = await http.listen(0, '127.0.0.1')
  const url = `http://127.0.0.1:${port}`
  return {
    url,
    ctx,
    log,
    tokens: secrets as TestServer['tokens'],
    http,
    fetch(path, init = {}) {
      const { token, ...rest } = init
      const headers = new Headers(rest.headers)
      const secret = token === undefined ? secrets.admin : token
      if (
        secret !== null &&
        !headers.has('authorization') &&
        !headers.has('x-conserver-api-token')
      ) {
        headers.set('authorization', `Bearer ${secret}`)
      }
      return fetch(`${url}${path}`, { ...rest, headers })
    },
    async close() {
      await http.close()
      if (consumer !== undefined) await consumer.stop(1_000)
      await queue.close()
      await store.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}
