/**
 * @module The background sweepers of a worker process: retention (privacy/retention-sweeper.ts, when
 * `privacy.retention` or a chain's `retention` is set) and consent expiry (privacy/consent-expiry-sweeper.ts),
 * every `privacy.sweep_interval_ms`. Several worker processes may sweep at once: deleting a vCon twice is a no-op
 * and the ledger's chain of events for a vCon is extended under a lock, so the only cost is duplicate work.
 */
import type { Logger } from '../observability/logger.js'
import { sweepConsentExpiries } from '../privacy/consent-expiry-sweeper.js'
import { RetentionSweeper, retentionLimitsOf } from '../privacy/retention-sweeper.js'
import type { AppContext } from './context.js'

/** Most vCons one retention sweep deletes; a full batch starts the next sweep at once. */
const RETENTION_BATCH = 500

export interface Sweepers {
  stop(): Promise<void>
}

export function startSweepers(ctx: AppContext, log: Logger): Sweepers {
  const intervalMs = ctx.config.privacy.sweepIntervalMs
  const state = ctx.privacy?.state
  const { maxAgeMs, perChain } = retentionLimitsOf(ctx.config)
  let retention: RetentionSweeper | undefined
  if (maxAgeMs !== undefined || perChain.size > 0) {
    retention = new RetentionSweeper({
      store: ctx.store,
      queue: ctx.queue,
      recorder: ctx.ledger?.recorder,
      log,
      now: ctx.now,
      maxAgeMs,
      perChain,
      intervalMs,
      batch: RETENTION_BATCH,
      ...(state === undefined ? {} : { forget: [(uuid: string) => state.forgetVcon(uuid)] }),
    })
    retention.start()
  }

  let expiryTimer: NodeJS.Timeout | undefined
  let expiryRun: Promise<unknown> | undefined
  let stopped = false
  const sweepExpiries = (): void => {
    if (state === undefined || stopped) return
    expiryRun = sweepConsentExpiries({
      state,
      store: ctx.store,
      ...(ctx.ledger === undefined ? {} : { lifecycle: ctx.ledger.recorder }),
      now: ctx.now,
    })
      .catch((error: unknown) =>
        log.warn('consent expiry sweep failed', {
          error: error instanceof Error ? error.message : String(error),
        }),
      )
      .finally(() => {
        if (stopped) return
        expiryTimer = setTimeout(sweepExpiries, intervalMs)
        expiryTimer.unref()
      })
  }
  sweepExpiries()

  return {
    async stop() {
      stopped = true
      if (expiryTimer !== undefined) clearTimeout(expiryTimer)
      await expiryRun
      await retention?.stop()
    },
  }
}
