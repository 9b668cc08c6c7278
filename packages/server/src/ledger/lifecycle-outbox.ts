/**
 * @module The lifecycle outbox as the recorder (lifecycle-recorder.ts) sees it: where signed lifecycle events
 * wait for registration, with their receipts once the ledger answered, and the per-vCon chain heads (the last
 * event digest, which the next event's `prev` names, draft-howe-vcon-lifecycle). Two adapters: SQLite (the
 * store's file, sqlite-lifecycle-outbox.ts) and PostgreSQL (the store's schema, postgres-lifecycle-outbox.ts),
 * so that every process sharing the vCons also shares the chains: a chain kept per machine would fork.
 */

/** A vCon's chain head. */
export interface LifecycleHead {
  /** The digest of the vCon's last event: the next event's `prev`. */
  readonly lastDigest: string
  /** The hash of the vCon after that event: what a deletion (which has no vCon any more) names. */
  readonly vconHash: string
}

/** A signed event for the outbox, built from the head read inside the write transaction. */
export interface OutboxEvent {
  readonly event: string
  /** JCS SHA-256 hex of the document: unique, what the next event's `prev` names. */
  readonly digest: string
  /** The event document as JSON text. */
  readonly document: string
  /** The signed statement (COSE_Sign1, hash envelope): what is registered. */
  readonly statement: Uint8Array
  /** The vCon hash the head keeps after this event. */
  readonly vconHash: string
  /** Milliseconds since the epoch. */
  readonly createdAt: number
}

/** What `append` groups: anything that names the vCon (lowercase uuid) its event is about. */
export interface OutboxItem {
  readonly vconUuid: string
}

/**
 * Builds one item's event from the vCon's head (undefined: no event yet, or the chain starts here); undefined
 * skips the item. Called inside the write transaction, so it must be synchronous, quick and must not throw.
 */
export type BuildOutboxEvent<T extends OutboxItem> = (
  item: T,
  head: LifecycleHead | undefined,
) => OutboxEvent | undefined

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

/** The answer of one registration attempt for the row `seq`. */
export type RegistrationOutcome =
  | { readonly seq: number; readonly entryId: string; readonly receipt: Uint8Array }
  | { readonly seq: number; readonly error: string }

/** The outbox port. Call `migrate()` once before anything else. */
export interface LifecycleOutbox {
  readonly kind: 'sqlite' | 'postgres'
  /** Creates or updates the tables (migrations scope `lifecycle`); safe when several processes start at once. */
  migrate(): Promise<void>
  /**
   * Writes the events of a group in one transaction. For each item in order, `build` receives the vCon's head
   * as every earlier item of the group and every committed write of any process left it; the event it returns
   * is stored unless its digest is stored already (idempotent: the same document is the same event), and the
   * head moves to it. Writers in other processes or on other machines wait for the vCons of the group, so two
   * events never name the same `prev`. Either the whole group is stored or none of it. Keep groups small (the
   * recorder writes at most 256 items): a group holds one lock per distinct vCon until it commits. Resolves
   * with the number of rows stored.
   */
  append<T extends OutboxItem>(items: readonly T[], build: BuildOutboxEvent<T>): Promise<number>
  /** Rows not registered yet, oldest first. */
  pending(limit: number): Promise<LifecycleRecord[]>
  pendingCount(): Promise<number>
  /** Stores receipts (done) and failed attempts (still pending: attempts + 1, the error kept). */
  settle(outcomes: readonly RegistrationOutcome[]): Promise<void>
  /** The events of one vCon (lowercase uuid) in the order they were written. */
  events(vconUuid: string): Promise<LifecycleRecord[]>
  /** Closes what the outbox opened itself (a connection shared with the store stays open). */
  close(): Promise<void>
}

/** The columns every adapter reads back, as the drivers return them. */
export interface LifecycleRow {
  seq: number | string
  event: string
  digest: string
  document: string
  statement: Uint8Array
  entry_id: string | null
  receipt: Uint8Array | null
}

/** A row as the port returns it (bigint seq as a number: a sequence this size stays below 2^53). */
export function toLifecycleRecord(row: LifecycleRow): LifecycleRecord {
  return {
    seq: Number(row.seq),
    event: row.event,
    digest: row.digest,
    document: JSON.parse(row.document) as Record<string, unknown>,
    statement: new Uint8Array(row.statement),
    entryId: row.entry_id ?? undefined,
    receipt: row.receipt === null ? undefined : new Uint8Array(row.receipt),
  }
}
