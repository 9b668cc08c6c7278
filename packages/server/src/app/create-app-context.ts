/**
 * @module The composition root: builds the AppContext from a ServerConfig. It opens the adapters the
 * configuration names (open-backends.ts), runs the store's migrations, builds the chains (a bad step option
 * stops the start with CONFIG_INVALID naming the key), and makes sure a token exists (bootstrap-token.ts).
 */
import type { ServerConfig } from '../config/server-config.js'
import { type ConserverLedger, openConserverLedger } from '../ledger/conserver-ledger.js'
import { createJsonLogger, type LineSink } from '../observability/json-logger.js'
import type { Logger } from '../observability/logger.js'
import { createMetrics, type MetricsRegistry } from '../observability/metrics-registry.js'
import { buildChains } from '../pipeline/build-chains.js'
import type { Env } from '../pipeline/options/read-options.js'
import type { StepFactory } from '../pipeline/step.js'
import { builtinStepRegistry } from '../pipeline/step-registry.js'
import { consentPolicyOf } from '../privacy/consent-policy.js'
import { chainMembershipsOf, trackChainMemberships } from '../privacy/retention-memberships.js'
import type { PostgresStore } from '../store/postgres/postgres-store.js'
import { ensureAdminToken } from './bootstrap-token.js'
import type { AppContext } from './context.js'
import { openQueue, openStore, sqliteFile } from './open-backends.js'
import { registerProcessMetrics } from './process-metrics.js'

export interface CreateAppContextOptions {
  /** Milliseconds since the epoch (default Date.now). */
  readonly now?: () => number
  /** Where log lines and the first-start token banner go (default process.stdout). */
  readonly stdout?: LineSink
  /** A logger to use instead of JSON lines on `stdout` (tests). */
  readonly log?: Logger
  /** Environment the steps read their secrets from (default process.env). */
  readonly env?: Env
  /** Step types added to the built-in ones (an embedding application's plugins). */
  readonly steps?: readonly StepFactory[]
  /**
   * Create and print an admin token when none exists (default true). A process that runs workers only has no
   * one to show it to, so `vcon worker` turns this off.
   */
  readonly bootstrapToken?: boolean
  /** Random bytes for the first-start token (tests). */
  readonly random?: (size: number) => Uint8Array
}

/** The context plus the metrics registry's extra methods. */
export interface CreatedAppContext extends AppContext {
  readonly metrics: MetricsRegistry
}

/**
 * Opens everything the configuration names. On failure, whatever was opened is closed again before the error
 * (a ServerError: CONFIG_INVALID for a bad chain, UNAVAILABLE for an unreachable database) is thrown.
 */
export async function createAppContext(
  config: ServerConfig,
  options: CreateAppContextOptions = {},
): Promise<CreatedAppContext> {
  const now = options.now ?? Date.now
  const stdout = options.stdout ?? process.stdout
  const log = options.log ?? createJsonLogger({ level: config.log.level, stream: stdout, now })
  const metrics = createMetrics()
  registerProcessMetrics(metrics, now())

  // Chains first: a configuration mistake should not wait for a database connection to be reported.
  const policy = consentPolicyOf(config.privacy)
  const chains = buildChains(
    config.chains,
    builtinStepRegistry({ env: options.env ?? process.env }, options.steps),
    policy.vocabulary,
  )
  const opened = await openStore(config, { now, log })
  try {
    // Which chains each vCon entered, for per-chain retention (privacy/retention-memberships.ts): recorded by
    // the queue as jobs start a chain, whoever enqueues them.
    const memberships = chainMembershipsOf(opened.store)
    await memberships?.migrate()
    const openedQueue = openQueue(config, opened, { now, log })
    const queue =
      memberships === undefined ? openedQueue : trackChainMemberships(openedQueue, memberships)
    let ledger: ConserverLedger | undefined
    try {
      ledger = await openConserverLedger(
        config,
        {
          sqlite: opened.sqlite,
          postgres: opened.store.kind === 'postgres' ? (opened.store as PostgresStore) : undefined,
          sqliteFile: sqliteFile(config),
        },
        { now, log, ...(options.env === undefined ? {} : { env: options.env }) },
      )
      if (options.bootstrapToken !== false) {
        await ensureAdminToken(opened.tokens, config, {
          write: (text) => stdout.write(text),
          log,
          now,
          ...(options.random === undefined ? {} : { random: options.random }),
        })
      }
    } catch (error) {
      await ledger?.close().catch(() => {})
      await queue.close().catch(() => {})
      throw error
    }
    log.info('backends ready', {
      store: opened.store.kind,
      queue: queue.kind,
      ...(opened.sqlite === undefined && queue.kind !== 'sqlite'
        ? {}
        : { dataDir: config.dataDir }),
      chains: chains.all().map((c) => c.config.name),
    })
    return {
      config,
      store: opened.store,
      queue,
      tokens: opened.tokens,
      privacy: { state: opened.privacy, policy },
      chains,
      metrics,
      log,
      now,
      ...(ledger === undefined ? {} : { ledger }),
    }
  } catch (error) {
    await opened.store.close().catch(() => {})
    throw error
  }
}
