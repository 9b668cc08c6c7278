/**
 * @module Emits the conserver's lifecycle events (draft-howe-vcon-lifecycle: vcon_created, vcon_enhanced,
 * vcon_sent, vcon_deleted) without slowing the request that caused them: `record` only queues in memory; a
 * drain (next turn of the event loop) builds each event document with its `prev` (the last event digest of the
 * same vCon, read in the outbox's write transaction that moves the head, so concurrent writers never fork a
 * chain: lifecycle-outbox.ts), signs it with the issuer key and writes it to the outbox (SQLite or PostgreSQL),
 * then registers the pending rows and stores their receipts. A failed registration stays pending and is retried
 * with backoff; registration is idempotent (entry id = leaf hash), so at-least-once is safe. The window between
 * `record` and the outbox write is one event-loop turn: a crash inside it loses those events (documented
 * trade-off).
 */
import {
  createLifecycleEvent,
  createLifecycleStatement,
  type LifecycleEventName,
  type SigningKey,
  vconDigest,
} from '@vconkit/ledger'
import type { Logger } from '../observability/logger.js'
import type {
  LifecycleHead,
  LifecycleOutbox,
  LifecycleRecord,
  OutboxEvent,
  RegistrationOutcome,
} from './lifecycle-outbox.js'

export type { LifecycleRecord } from './lifecycle-outbox.js'

/** One event to record. */
export interface LifecycleInput {
  readonly event: LifecycleEventName
  readonly vconUuid: string
  /** The vCon after the event: its JSON text or object. Omitted (deletion): the last known hash is used. */
  readonly vcon?: string | object
  /** A short lowercase token (why), e.g. "analysis", "webhook", "controller_instruction". */
  readonly reason?: string
  /** The purposes a consent event concerns (required by vcon_consent_accepted and vcon_consent_revoked). */
  readonly purposes?: readonly string[]
}

/** Registers one statement: the embedded log or a remote SCRAPI service. */
export interface LedgerRegistrar {
  register(
    statement: Uint8Array,
  ): Promise<{ readonly entryId: string; readonly receipt: Uint8Array }>
}

export interface LifecycleRecorder {
  /** Queues an event; never throws and never waits (problems are logged). */
  record(input: LifecycleInput): void
  /** Resolves once everything recorded so far is in the outbox and one registration attempt was made. */
  flush(): Promise<void>
  /** The events of one vCon in order, with their receipts once registered. */
  events(vconUuid: string): Promise<LifecycleRecord[]>
  /** Rows not registered yet (of every process writing to the same outbox). */
  pendingCount(): Promise<number>
  /** Stops retrying after one last attempt; the outbox keeps what is pending for the next start. */
  close(): Promise<void>
}

export interface LifecycleRecorderOptions {
  /** The outbox, migrated; the recorder does not close it. */
  readonly outbox: LifecycleOutbox
  readonly registrar: LedgerRegistrar
  readonly issuer: string
  readonly key: SigningKey
  readonly log: Logger
  readonly now?: () => number
  /** First retry delay after a failed registration (doubled up to 60 s). Default 1000 ms. */
  readonly retryMs?: number
}

interface Queued {
  readonly input: LifecycleInput
  readonly hash: string | undefined
  readonly at: number
}

/** A queued event on its way into the outbox: the uuid lowercase, the vCon hashed. */
interface Item extends Queued {
  readonly vconUuid: string
}

const MAX_RETRY_MS = 60_000
const REGISTER_BATCH = 256
/** Events per outbox transaction: bounds how long a write holds its vCons' locks (lifecycle-outbox.ts). */
const WRITE_BATCH = 256

/** Creates the recorder over a migrated outbox; rows an earlier run left pending are registered at once. */
export function createLifecycleRecorder(options: LifecycleRecorderOptions): LifecycleRecorder {
  const { outbox, registrar, log } = options
  const now = options.now ?? Date.now
  const baseRetry = options.retryMs ?? 1000

  let queued: Queued[] = []
  let running: Promise<void> | undefined
  let again = false
  /** The outbox write failed: only the retry timer starts the next round. */
  let waiting = false
  let retryTimer: NodeJS.Timeout | undefined
  let retryDelay = baseRetry
  let closed = false

  /** Builds and signs one event on its vCon's head, inside the outbox's write transaction. Never throws. */
  function build(item: Item, head: LifecycleHead | undefined): OutboxEvent | undefined {
    const { input, at, vconUuid: uuid } = item
    const vconHash = item.hash ?? head?.vconHash
    if (vconHash === undefined) {
      log.warn('lifecycle event skipped: no vCon hash known', { event: input.event, uuid })
      return undefined
    }
    try {
      const created = createLifecycleEvent({
        event: input.event,
        vconUuid: uuid,
        vconHash,
        // vcon_created starts a history (a uuid created again after a deletion starts a new one).
        prev: input.event === 'vcon_created' ? null : (head?.lastDigest ?? null),
        occurredAt: new Date(at),
        ...(input.reason === undefined ? {} : { reason: input.reason }),
        ...(input.purposes === undefined ? {} : { purposes: [...input.purposes] }),
      })
      const statement = createLifecycleStatement(created, {
        iss: options.issuer,
        key: options.key,
        iat: new Date(at),
      })
      return {
        event: input.event,
        digest: created.digest,
        document: JSON.stringify(created.document),
        statement,
        vconHash,
        createdAt: at,
      }
    } catch (error) {
      log.warn('lifecycle event refused', {
        event: input.event,
        uuid,
        error: (error as Error).message,
      })
      return undefined
    }
  }

  async function registerPending(): Promise<boolean> {
    for (let round = 0; round < 64; round++) {
      const rows = await outbox.pending(REGISTER_BATCH)
      if (rows.length === 0) return true
      const results = await Promise.allSettled(rows.map((row) => registrar.register(row.statement)))
      const outcomes: RegistrationOutcome[] = results.map((result, i) => {
        const seq = (rows[i] as LifecycleRecord).seq
        return result.status === 'fulfilled'
          ? { seq, entryId: result.value.entryId, receipt: result.value.receipt }
          : { seq, error: String((result.reason as Error)?.message ?? result.reason) }
      })
      await outbox.settle(outcomes)
      // Any failure ends the round: the backoff retries it (and a row that keeps failing stays first).
      if (outcomes.some((o) => 'error' in o)) return false
    }
    return true
  }

  /**
   * One round: writes what is queued to the outbox, then registers the pending rows. Rounds are bounded, so
   * `flush` ends under sustained load; what arrives meanwhile goes to the next round.
   */
  async function drain(): Promise<void> {
    const items = queued
    queued = []
    if (items.length > 0) {
      // Hash outside the write transaction (CPU work); only the head read, signing and insert run under locks.
      const hashed = items.flatMap((item): Item[] => {
        const vconUuid = item.input.vconUuid.toLowerCase()
        if (item.input.vcon === undefined) return [{ ...item, vconUuid }]
        try {
          const value =
            typeof item.input.vcon === 'string'
              ? (JSON.parse(item.input.vcon) as unknown)
              : item.input.vcon
          return [{ ...item, vconUuid, hash: vconDigest(value) }]
        } catch (error) {
          log.warn('lifecycle event skipped: the vCon cannot be hashed', {
            event: item.input.event,
            uuid: item.input.vconUuid,
            error: (error as Error).message,
          })
          return []
        }
      })
      for (let i = 0; i < hashed.length; i += WRITE_BATCH) {
        try {
          await outbox.append(hashed.slice(i, i + WRITE_BATCH), build)
        } catch (error) {
          // The failed group and the ones after it wait for the retry, in order; the groups before it are in.
          log.error('lifecycle outbox write failed', { error: (error as Error).message })
          queued = [...hashed.slice(i), ...queued]
          waiting = true
          scheduleRetry()
          return
        }
      }
    }
    let ok = false
    try {
      ok = await registerPending()
    } catch (error) {
      log.warn('lifecycle registration failed', { error: (error as Error).message })
    }
    if (ok) retryDelay = baseRetry
    else scheduleRetry()
  }

  function scheduleRetry(): void {
    if (closed || retryTimer !== undefined) return
    retryTimer = setTimeout(() => {
      retryTimer = undefined
      waiting = false
      kick()
    }, retryDelay)
    retryTimer.unref()
    retryDelay = Math.min(retryDelay * 2, MAX_RETRY_MS)
  }

  function kick(): Promise<void> {
    if (running !== undefined) {
      again = true
      return running
    }
    again = false
    running = new Promise<void>((resolve) => setImmediate(resolve))
      .then(drain)
      .catch((error: unknown) => log.error('lifecycle drain failed', { error: String(error) }))
      .finally(() => {
        running = undefined
        // Events recorded during the round get the next one (unless the outbox is failing: the timer retries).
        if (!waiting && (again || queued.length > 0)) void kick()
      })
    return running
  }

  /** Waits for the round running now and the one after it, which holds everything recorded before. */
  async function settle(): Promise<void> {
    if (running !== undefined) await running
    if (running !== undefined) await running
    else if (queued.length > 0 && !waiting) await kick()
  }

  // Events left pending by an earlier run (of any process on the same outbox) are registered now.
  void kick()

  return {
    record(input) {
      if (closed) return
      queued.push({ input, hash: undefined, at: now() })
      void kick()
    },
    flush: settle,
    events: (vconUuid) => outbox.events(vconUuid.toLowerCase()),
    pendingCount: () => outbox.pendingCount(),
    async close() {
      closed = true
      if (retryTimer !== undefined) clearTimeout(retryTimer)
      retryTimer = undefined
      waiting = false
      await settle()
    },
  }
}
