/**
 * @module Emits the conserver's lifecycle events (draft-howe-vcon-lifecycle: vcon_created, vcon_enhanced,
 * vcon_sent, vcon_deleted) without slowing the request that caused them: `record` only queues in memory; a
 * drain (next turn of the event loop) builds each event document with its `prev` (the last event digest of the
 * same vCon, read in the same SQLite write transaction that moves the head, so concurrent processes never fork
 * a chain), signs it with the issuer key and writes it to the outbox (lifecycle-schema.ts), then registers the
 * pending rows and stores their receipts. A failed registration stays pending and is retried with backoff;
 * registration is idempotent (entry id = leaf hash), so at-least-once is safe. The window between `record`
 * and the outbox write is one event-loop turn: a crash inside it loses those events (documented trade-off).
 */
import {
  createLifecycleEvent,
  createLifecycleStatement,
  type LifecycleEventName,
  type SigningKey,
  vconDigest,
} from '@vconkit/ledger'
import type Database from 'better-sqlite3'
import type { Logger } from '../observability/logger.js'
import { runSqliteMigrations } from '../store/sqlite/migrations.js'
import { LIFECYCLE_SCOPE, LIFECYCLE_SQLITE_MIGRATIONS } from './lifecycle-schema.js'

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

/** An outbox row as the API shows it (GET /v1/vcons/{uuid}/receipts). */
export interface LifecycleRecord {
  readonly seq: number
  readonly event: string
  readonly digest: string
  readonly document: Record<string, unknown>
  readonly statement: Uint8Array
  /** Undefined while the registration is pending. */
  readonly entryId: string | undefined
  readonly receipt: Uint8Array | undefined
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
  events(vconUuid: string): LifecycleRecord[]
  /** Rows not registered yet. */
  pendingCount(): number
  /** Stops retrying after one last attempt; the outbox keeps what is pending for the next start. */
  close(): Promise<void>
}

export interface LifecycleRecorderOptions {
  readonly db: Database.Database
  readonly registrar: LedgerRegistrar
  readonly issuer: string
  readonly key: SigningKey
  readonly log: Logger
  readonly now?: () => number
  /** First retry delay after a failed registration (doubled up to 60 s). Default 1000 ms. */
  readonly retryMs?: number
}

interface Row {
  seq: number
  event: string
  digest: string
  document: string
  statement: Buffer
  entry_id: string | null
  receipt: Buffer | null
}

const MAX_RETRY_MS = 60_000
const REGISTER_BATCH = 256

/** Creates the tables if needed and the recorder over them. */
export function createLifecycleRecorder(options: LifecycleRecorderOptions): LifecycleRecorder {
  const { db, registrar, log } = options
  const now = options.now ?? Date.now
  const baseRetry = options.retryMs ?? 1000
  runSqliteMigrations(db, LIFECYCLE_SCOPE, LIFECYCLE_SQLITE_MIGRATIONS, now)
  const sql = {
    head: db.prepare('SELECT last_digest, vcon_hash FROM lifecycle_heads WHERE vcon_uuid = ?'),
    setHead: db.prepare(
      'INSERT INTO lifecycle_heads (vcon_uuid, last_digest, vcon_hash) VALUES (?, ?, ?) ON CONFLICT (vcon_uuid) DO UPDATE SET last_digest = excluded.last_digest, vcon_hash = excluded.vcon_hash',
    ),
    insert: db.prepare(
      'INSERT OR IGNORE INTO lifecycle_events (vcon_uuid, event, digest, document, statement, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    pending: db.prepare(
      'SELECT seq, event, digest, document, statement, entry_id, receipt FROM lifecycle_events WHERE entry_id IS NULL ORDER BY seq LIMIT ?',
    ),
    pendingCount: db
      .prepare('SELECT count(*) FROM lifecycle_events WHERE entry_id IS NULL')
      .pluck(),
    done: db.prepare(
      'UPDATE lifecycle_events SET entry_id = ?, receipt = ?, last_error = NULL WHERE seq = ?',
    ),
    failed: db.prepare(
      'UPDATE lifecycle_events SET attempts = attempts + 1, last_error = ? WHERE seq = ?',
    ),
    byVcon: db.prepare(
      'SELECT seq, event, digest, document, statement, entry_id, receipt FROM lifecycle_events WHERE vcon_uuid = ? ORDER BY seq',
    ),
  }

  let queued: { input: LifecycleInput; hash: string | undefined; at: number }[] = []
  let running: Promise<void> | undefined
  let again = false
  /** The outbox write failed: only the retry timer starts the next round. */
  let waiting = false
  let retryTimer: NodeJS.Timeout | undefined
  let retryDelay = baseRetry
  let closed = false

  /** Writes the queued events to the outbox in one transaction, chaining each on its vCon's head. */
  const writeQueued = db.transaction(
    (items: readonly { input: LifecycleInput; hash: string | undefined; at: number }[]) => {
      for (const { input, hash, at } of items) {
        const uuid = input.vconUuid.toLowerCase()
        const head = sql.head.get(uuid) as { last_digest: string; vcon_hash: string } | undefined
        const vconHash = hash ?? head?.vcon_hash
        if (vconHash === undefined) {
          log.warn('lifecycle event skipped: no vCon hash known', { event: input.event, uuid })
          continue
        }
        try {
          const created = createLifecycleEvent({
            event: input.event,
            vconUuid: uuid,
            vconHash,
            // vcon_created starts a history (a uuid created again after a deletion starts a new one).
            prev: input.event === 'vcon_created' ? null : (head?.last_digest ?? null),
            occurredAt: new Date(at),
            ...(input.reason === undefined ? {} : { reason: input.reason }),
            ...(input.purposes === undefined ? {} : { purposes: [...input.purposes] }),
          })
          const statement = createLifecycleStatement(created, {
            iss: options.issuer,
            key: options.key,
            iat: new Date(at),
          })
          const info = sql.insert.run(
            uuid,
            input.event,
            created.digest,
            JSON.stringify(created.document),
            statement,
            at,
          )
          if (info.changes > 0) sql.setHead.run(uuid, created.digest, vconHash)
        } catch (error) {
          log.warn('lifecycle event refused', {
            event: input.event,
            uuid,
            error: (error as Error).message,
          })
        }
      }
    },
  )

  async function registerPending(): Promise<boolean> {
    let allOk = true
    for (let round = 0; round < 64; round++) {
      const rows = sql.pending.all(REGISTER_BATCH) as Row[]
      if (rows.length === 0) return allOk
      const results = await Promise.allSettled(
        rows.map((row) => registrar.register(new Uint8Array(row.statement))),
      )
      let progress = false
      results.forEach((result, i) => {
        const row = rows[i] as Row
        if (result.status === 'fulfilled') {
          sql.done.run(result.value.entryId, result.value.receipt, row.seq)
          progress = true
        } else {
          allOk = false
          sql.failed.run(String((result.reason as Error)?.message ?? result.reason), row.seq)
        }
      })
      if (!progress) return false
      if (!allOk) return false
    }
    return allOk
  }

  /**
   * One round: writes what is queued to the outbox, then registers the pending rows. Rounds are bounded, so
   * `flush` ends under sustained load; what arrives meanwhile goes to the next round.
   */
  async function drain(): Promise<void> {
    const items = queued
    queued = []
    if (items.length > 0) {
      // Hash outside the write transaction (CPU work); only the head read and insert run under the lock.
      const hashed = items.flatMap((item) => {
        if (item.input.vcon === undefined) return [item]
        try {
          const value =
            typeof item.input.vcon === 'string'
              ? (JSON.parse(item.input.vcon) as unknown)
              : item.input.vcon
          return [{ ...item, hash: vconDigest(value) }]
        } catch (error) {
          log.warn('lifecycle event skipped: the vCon cannot be hashed', {
            event: item.input.event,
            uuid: item.input.vconUuid,
            error: (error as Error).message,
          })
          return []
        }
      })
      try {
        writeQueued.immediate(hashed)
      } catch (error) {
        log.error('lifecycle outbox write failed', { error: (error as Error).message })
        queued = [...hashed, ...queued]
        waiting = true
        scheduleRetry()
        return
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

  // Events left pending by an earlier run are registered now.
  if ((sql.pendingCount.get() as number) > 0) void kick()

  const toRecord = (row: Row): LifecycleRecord => ({
    seq: row.seq,
    event: row.event,
    digest: row.digest,
    document: JSON.parse(row.document) as Record<string, unknown>,
    statement: new Uint8Array(row.statement),
    entryId: row.entry_id ?? undefined,
    receipt: row.receipt === null ? undefined : new Uint8Array(row.receipt),
  })

  return {
    record(input) {
      if (closed) return
      queued.push({ input, hash: undefined, at: now() })
      void kick()
    },
    flush: settle,
    events: (vconUuid) => (sql.byVcon.all(vconUuid.toLowerCase()) as Row[]).map(toRecord),
    pendingCount: () => sql.pendingCount.get() as number,
    async close() {
      closed = true
      if (retryTimer !== undefined) clearTimeout(retryTimer)
      retryTimer = undefined
      waiting = false
      await settle()
    },
  }
}
