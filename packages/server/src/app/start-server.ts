/**
 * @module Runs a built AppContext: the HTTP API and/or the pipeline workers (one queue consumer per chain, over
 * its ingress lists, with the chain's concurrency), a queue-depth gauge, and graceful shutdown: stop accepting,
 * let requests in flight finish, give running jobs `shutdown.grace_ms` to finish (the rest go back to the queue
 * and another worker takes them), then close the queue and the store.
 */
import { setMaxListeners } from 'node:events'
import { hostname } from 'node:os'
import { createHttpServer, type HttpServer } from '../http/http-server.js'
import { QUEUE_DEPTH } from '../observability/metric-names.js'
import { runJob } from '../pipeline/run-job.js'
import type { Consumer } from '../ports/queue.js'
import type { AppContext } from './context.js'
import { type Sweepers, startSweepers } from './start-sweepers.js'

export interface StartOptions {
  /** Serve the HTTP API. */
  readonly api: boolean
  /** Run the pipeline workers. */
  readonly workers: boolean
  /** Stop gracefully on SIGTERM and SIGINT (default true); a second signal exits at once with status 1. */
  readonly handleSignals?: boolean
  /** How often the queue depth gauge is refreshed (default 5,000 ms). */
  readonly depthRefreshMs?: number
}

export interface RunningServer {
  /** The port the API listens on (the real one when port 0 was asked for); undefined without the API. */
  readonly port: number | undefined
  /** `http://host:port` of the API; undefined without the API. */
  readonly url: string | undefined
  /** Stops everything gracefully (idempotent); resolves when the store and queue are closed. */
  stop(reason?: string): Promise<void>
  /** Resolves once stopped, whoever stopped it (a signal or `stop()`). */
  readonly stopped: Promise<void>
}

/** The worker name recorded with leases: host and process. */
function workerName(): string {
  return `${hostname()}:${process.pid}`
}

/** The lists the queue-depth gauge reports: every chain's ingress lists. */
function ingressLists(ctx: AppContext): string[] {
  return [...new Set(ctx.chains.all().flatMap((chain) => chain.config.ingress))]
}

function urlOf(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`
}

/** Starts what `options` asks for; the returned handle stops it. */
export async function startServer(ctx: AppContext, options: StartOptions): Promise<RunningServer> {
  const { config, log } = ctx
  const shutdown = new AbortController()
  // Every running step listens for shutdown (run-step.ts) and removes its listener when it ends: as many
  // listeners as jobs in flight (the sum of the chains' concurrency) is expected, not a leak.
  setMaxListeners(0, shutdown.signal)
  let http: HttpServer | undefined
  let port: number | undefined
  const consumers: Consumer[] = []
  let sweepers: Sweepers | undefined

  if (options.api) {
    http = createHttpServer(ctx)
    port = (await http.listen(config.port, config.host)).port
  }

  if (options.workers) {
    try {
      startWorkers()
    } catch (error) {
      // Nothing half-started is left behind: the caller closes the store and queue.
      await Promise.all(consumers.map((c) => c.stop(0).catch(() => {})))
      await sweepers?.stop().catch(() => {})
      await http?.close().catch(() => {})
      throw error
    }
  }

  function startWorkers(): void {
    sweepers = startSweepers(ctx, log)
    const worker = workerName()
    for (const chain of ctx.chains.all()) {
      consumers.push(
        ctx.queue.consume(
          {
            lists: chain.config.ingress,
            concurrency: chain.config.concurrency,
            leaseMs: config.queue.leaseMs,
            retry: { maxAttempts: config.queue.maxAttempts, backoffMs: config.queue.backoffMs },
            worker,
          },
          (job) =>
            runJob(job, {
              store: ctx.store,
              queue: ctx.queue,
              chains: ctx.chains,
              log: ctx.log,
              metrics: ctx.metrics,
              now: ctx.now,
              signal: shutdown.signal,
              ...(ctx.ledger === undefined ? {} : { lifecycle: ctx.ledger.recorder }),
              ...(ctx.privacy === undefined ? {} : { privacy: ctx.privacy }),
            }),
        ),
      )
    }
    log.info('workers started', {
      worker,
      chains: ctx.chains.all().map((c) => ({
        name: c.config.name,
        ingress: c.config.ingress,
        concurrency: c.config.concurrency,
      })),
    })
  }

  const lists = ingressLists(ctx)
  const refreshDepth = async () => {
    for (const list of lists) {
      try {
        ctx.metrics.set(QUEUE_DEPTH, { list }, await ctx.queue.depth(list))
      } catch {
        // The queue is away: the gauge keeps its last value; /ready reports the outage.
      }
    }
  }
  void refreshDepth()
  const depthTimer = setInterval(() => void refreshDepth(), options.depthRefreshMs ?? 5_000)
  depthTimer.unref()

  const url = port === undefined ? undefined : urlOf(config.host, port)
  if (url !== undefined) log.info('listening', { host: config.host, port, url })

  let stopping: Promise<void> | undefined
  let resolveStopped: () => void = () => {}
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve
  })

  const stop = (reason = 'stop requested'): Promise<void> => {
    stopping ??= (async () => {
      log.info('shutting down', { reason, graceMs: config.shutdown.graceMs })
      clearInterval(depthTimer)
      // The API first: no new work is accepted while the workers drain.
      if (http !== undefined) {
        try {
          await http.close()
        } catch (error) {
          log.error('closing the HTTP server failed', { error: String(error) })
        }
      }
      // Running jobs get the grace period; the consumers then give the unfinished ones back to the queue
      // (another worker takes them), and only after that are their steps told to stop, so that an interrupted
      // step is not counted as a failed attempt.
      await Promise.all(
        consumers.map((consumer) =>
          consumer.stop(config.shutdown.graceMs).catch((error: unknown) => {
            log.error('stopping a consumer failed', { error: String(error) })
          }),
        ),
      )
      shutdown.abort()
      await sweepers?.stop().catch((error: unknown) => {
        log.error('stopping the sweepers failed', { error: String(error) })
      })
      // The ledger's outbox and tables share the store's connection: it closes before the store.
      await ctx.ledger?.close().catch((error: unknown) => {
        log.error('closing the ledger failed', { error: String(error) })
      })
      // The queue may share the store's connection, so it closes first.
      await ctx.queue.close().catch((error: unknown) => {
        log.error('closing the queue failed', { error: String(error) })
      })
      await ctx.store.close().catch((error: unknown) => {
        log.error('closing the store failed', { error: String(error) })
      })
      log.info('stopped')
      removeSignalHandlers()
      resolveStopped()
    })()
    return stopping
  }

  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping !== undefined) {
      log.warn('second stop signal: exiting at once', { signal })
      process.exit(1)
    }
    void stop(signal)
  }
  const removeSignalHandlers = () => {
    process.off('SIGTERM', onSignal)
    process.off('SIGINT', onSignal)
  }
  if (options.handleSignals !== false) {
    process.on('SIGTERM', onSignal)
    process.on('SIGINT', onSignal)
  }

  return { port, url, stop, stopped }
}
