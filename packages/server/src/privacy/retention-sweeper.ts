/**
 * @module The retention sweeper: deletes, everywhere (erase-vcon.ts), the vCons older than their retention and
 * records vcon_expired (draft-howe-vcon-lifecycle) with reason retention_expired, so that personal data is kept
 * no longer than its purpose needs (GDPR Art. 5(1)(e), storage limitation).
 *
 * Age is counted from the vCon's `created_at` (the conversation's time, core draft §4.1.3; the ingest time for
 * a vCon without one), which the store indexes. Two kinds of limit, any of which expires a vCon:
 * - `maxAgeMs` (config `privacy.retention`): every stored vCon;
 * - `perChain` (config `chains[].retention`): the vCons that went through that chain (retention-memberships.ts).
 * A chain's limit can only shorten a vCon's life: when several limits apply, the shortest wins, because each
 * purpose's period ends on its own and the vCon was collected for all of them.
 *
 * The composition root builds it from the configuration (`retentionLimitsOf`) and calls `start()`; tests call
 * `sweepOnce()` with an injected clock. A sweep handles at most `batch` vCons; when it was full the next one
 * starts at once, otherwise after `intervalMs`.
 */
import type { ServerConfig } from '../config/server-config.js'
import type { LifecycleRecorder } from '../ledger/lifecycle-recorder.js'
import type { Logger } from '../observability/logger.js'
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import { createErasureCompactor, type ErasureCompactor } from './erase-compaction.js'
import { type ErasureLock, eraseVcon } from './erase-vcon.js'
import { type ChainMemberships, chainMembershipsOf } from './retention-memberships.js'

export interface RetentionSweeperOptions {
  /** The unwrapped store adapter (memberships and compaction need its connection). */
  readonly store: Store
  readonly queue: Pick<Queue, 'dropVcon'>
  /** The ledger's recorder; absent when the ledger is off. */
  readonly recorder?: Pick<LifecycleRecorder, 'record' | 'flush' | 'events'> | undefined
  readonly log: Logger
  readonly now: () => number
  /** Maximum age of any vCon; absent: no global limit. */
  readonly maxAgeMs?: number | undefined
  /** Maximum age of the vCons that went through a chain, by chain name. */
  readonly perChain?: ReadonlyMap<string, number> | undefined
  /** Default: the memberships beside `store` (created on first use). */
  readonly memberships?: ChainMemberships | undefined
  /** Pause between sweeps that found less than a full batch. */
  readonly intervalMs: number
  /** Most vCons one sweep deletes. */
  readonly batch: number
  /** Default: a compactor of `store` with PostgreSQL compaction `full` (erase-compaction.ts). */
  readonly compactor?: ErasureCompactor | undefined
  /** Other components that forget an erased vCon (the privacy state's forgetVcon). */
  readonly forget?: readonly ((uuid: string) => Promise<void>)[] | undefined
  readonly locks?: ErasureLock | undefined
}

/** One expired vCon and the limit that expired it (`*` for the global one, else the chain's name). */
export interface ExpiredVcon {
  readonly uuid: string
  readonly limit: string
}

export interface SweepReport {
  readonly expired: readonly ExpiredVcon[]
  /** The batch was full: more vCons may be expired already. */
  readonly more: boolean
}

/** The limits a configuration sets: `privacy.retention` and each chain's `retention`. */
export function retentionLimitsOf(config: ServerConfig): {
  maxAgeMs: number | undefined
  perChain: Map<string, number>
} {
  const perChain = new Map<string, number>()
  for (const chain of config.chains) {
    if (chain.retentionMs !== undefined) perChain.set(chain.name, chain.retentionMs)
  }
  return { maxAgeMs: config.privacy.retentionMs, perChain }
}

export class RetentionSweeper {
  readonly #options: RetentionSweeperOptions
  readonly #memberships: ChainMemberships | undefined
  readonly #compactor: ErasureCompactor
  #timer: NodeJS.Timeout | undefined
  #running: Promise<unknown> | undefined
  #stopped = true

  constructor(options: RetentionSweeperOptions) {
    if (!(options.batch >= 1) || !(options.intervalMs >= 1)) {
      throw new RangeError('RetentionSweeper: batch and intervalMs must be at least 1')
    }
    this.#options = options
    this.#memberships =
      (options.perChain?.size ?? 0) > 0
        ? (options.memberships ?? chainMembershipsOf(options.store))
        : options.memberships
    this.#compactor =
      options.compactor ?? createErasureCompactor(options.store, { log: options.log })
  }

  /** The vCons to expire now, at most `batch`, each once. */
  async #candidates(): Promise<ExpiredVcon[]> {
    const { store, now, maxAgeMs, perChain, batch } = this.#options
    const found = new Map<string, string>()
    const cutoff = (ms: number) => new Date(now() - ms).toISOString()
    if (maxAgeMs !== undefined) {
      // Store.list's `until` is exclusive: created strictly before the cutoff, i.e. older than the limit.
      const page = await store.list({ until: cutoff(maxAgeMs), limit: batch })
      for (const item of page.items) found.set(item.uuid, '*')
    }
    const memberships = this.#memberships
    if (memberships !== undefined) {
      for (const [chain, ms] of perChain ?? []) {
        if (found.size >= batch) break
        for (const uuid of await memberships.expired(chain, cutoff(ms), batch - found.size)) {
          if (!found.has(uuid)) found.set(uuid, chain)
        }
      }
    }
    return [...found].slice(0, batch).map(([uuid, limit]) => ({ uuid, limit }))
  }

  /** One sweep: deletes what is expired now (at most `batch`), compacts, and waits for the ledger events. */
  async sweepOnce(): Promise<SweepReport> {
    const o = this.#options
    const candidates = await this.#candidates()
    const memberships = this.#memberships
    const forget = [
      ...(o.forget ?? []),
      ...(memberships === undefined ? [] : [(uuid: string) => memberships.forget(uuid)]),
    ]
    const deps = { store: o.store, queue: o.queue, recorder: o.recorder, locks: o.locks, forget }
    const expired: ExpiredVcon[] = []
    for (const candidate of candidates) {
      const cause = { event: 'vcon_expired', reason: 'retention_expired' } as const
      if (await eraseVcon(deps, candidate.uuid, cause)) expired.push(candidate)
    }
    if (expired.length > 0) {
      await this.#compactor.compact()
      await o.recorder?.flush()
      o.log.info('retention sweep', { expired: expired.length })
    }
    return { expired, more: candidates.length >= o.batch }
  }

  /** Sweeps now and then every `intervalMs` (at once again after a full batch) until `stop()`. */
  start(): void {
    if (!this.#stopped) return
    this.#stopped = false
    this.#schedule(0)
  }

  #schedule(delay: number): void {
    if (this.#stopped) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      const run = this.sweepOnce().then(
        (report) => (report.more ? 0 : this.#options.intervalMs),
        (error: unknown) => {
          this.#options.log.warn('retention sweep failed', {
            error: error instanceof Error ? error.message : String(error),
          })
          return this.#options.intervalMs
        },
      )
      this.#running = run
      void run.then((next) => {
        this.#running = undefined
        this.#schedule(next)
      })
    }, delay)
    this.#timer.unref()
  }

  /** Stops sweeping; waits for a sweep under way to finish. */
  async stop(): Promise<void> {
    this.#stopped = true
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    await this.#running
  }
}
