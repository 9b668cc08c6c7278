/**
 * @module The Store port: where accepted vCons live. The stored JSON text is the source of truth and comes back
 * byte for byte; every index (parties, tags, dates, full text) is derived from it in the same transaction.
 */
import type { Vcon } from '@vconkit/vcon'

/** Index facts derived from one vCon (store/derive-index.ts), written beside it in the same transaction. */
export interface IndexFacts {
  /** Party identifiers, normalised: tel digits with a leading +, mailto lowercased, names lowercased and trimmed. */
  readonly tels: readonly string[]
  readonly mailtos: readonly string[]
  readonly names: readonly string[]
  /** Tags as `key:value` strings (from the tags attachment). */
  readonly tags: readonly string[]
  readonly subject: string | undefined
  /** ISO 8601 UTC: the vCon's created_at, or the time of ingest when it has none. */
  readonly createdAt: string
  /** Text searched by full-text search: subject, party names, transcript, summaries. */
  readonly text: string
  /**
   * Further lookup keys (store/derive-refs.ts): sip and did party identifiers, identifiers written inside text,
   * and the uuids of the versions this one amends or redacts. Optional so that hand-made facts stay valid;
   * `deriveIndex` always sets it.
   */
  readonly refs?: readonly IndexRef[]
}

/**
 * What an index ref says about its vCon:
 * - `sip`, `did`: a party identifier (as normaliseSip / normaliseDid keep it);
 * - `text_tel`, `text_mailto`, `text_sip`, `text_did`: an identifier written in a text (dialog, analysis or
 *   attachment body, subject), normalised like the party identifier of the same kind;
 * - `amended`, `redacted`: the lowercase uuid of the earlier version this vCon amends or redacts (core draft
 *   §4.1.8, §4.1.9), so that the later versions of a vCon can be found from the earlier one.
 */
export type IndexRefKind =
  | 'sip'
  | 'did'
  | 'text_tel'
  | 'text_mailto'
  | 'text_sip'
  | 'text_did'
  | 'amended'
  | 'redacted'

export interface IndexRef {
  readonly kind: IndexRefKind
  readonly value: string
}

/** A vCon to store: the exact JSON text accepted, the parsed vCon, and its index facts. */
export interface NewVcon {
  readonly uuid: string
  readonly json: string
  readonly vcon: Vcon
  readonly index: IndexFacts
}

/** A stored vCon. */
export interface StoredVcon {
  readonly uuid: string
  /** Exactly the JSON text that was stored. */
  readonly json: string
  readonly createdAt: string
  /** ISO 8601 UTC time of the last write. */
  readonly storedAt: string
  /** Starts at 1 and grows by one with every replace or append. */
  readonly version: number
}

/** The outcome of an insert: created, or refused because the uuid exists (409), or an idempotent replay. */
export type InsertOutcome =
  | { readonly status: 'created'; readonly uuid: string }
  | { readonly status: 'exists'; readonly uuid: string }
  /** The Idempotency-Key was used before for this same uuid: nothing was written again. */
  | { readonly status: 'replayed'; readonly uuid: string }
  /**
   * The Idempotency-Key was used before for a different uuid: nothing was written (a client bug; the
   * Idempotency-Key draft answers 422 for a key reused with another request).
   */
  | { readonly status: 'key-conflict'; readonly uuid: string }

export interface InsertOptions {
  /** A client-chosen key (Idempotency-Key header): the same key with the same uuid is a replay, not a conflict. */
  readonly idempotencyKey?: string
}

export interface PutOptions {
  /** Replace only: the pipeline writing back a vCon must not bring back one erased while it ran. */
  readonly onlyIfExists?: boolean
  /**
   * Replace only the version that was read (compare-and-set): two writers that read the same version (two chains
   * fed by one list, two worker processes) must not silently drop each other's change.
   */
  readonly expectedVersion?: number
}

export type PutOutcome = 'created' | 'replaced' | 'missing' | 'conflict'

/** Filters of a list query; all given filters must match. Keyset pagination on (createdAt desc, uuid desc). */
export interface ListQuery {
  readonly since?: string
  readonly until?: string
  readonly tel?: string
  readonly mailto?: string
  readonly name?: string
  readonly tag?: string
  /** Substring of the subject, case-insensitive. */
  readonly subject?: string
  /** A party sip URI (normalised as the index keeps it: scheme dropped, host lowercased). */
  readonly sip?: string
  /** A party DID (compared exactly after trimming). */
  readonly did?: string
  /** Words of the full-text index, every one of which must appear (as `search`, but unranked and paginated). */
  readonly text?: string
  /**
   * Any of these index refs (kind and value exactly as the index keeps them, see IndexRefKind): e.g. every
   * vCon whose text mentions one of several forms of a telephone number.
   */
  readonly refs?: { readonly kind: IndexRefKind; readonly values: readonly string[] }
  /** vCons whose `amended.uuid` or `redacted.uuid` names this uuid (the later versions of it). */
  readonly derivedFrom?: string
  /** Opaque cursor from the previous page's `next`. */
  readonly after?: string
  readonly limit: number
}

export interface ListItem {
  readonly uuid: string
  readonly createdAt: string
  readonly subject: string | undefined
}

export interface ListPage {
  readonly items: readonly ListItem[]
  /** Cursor for the next page, absent on the last page. */
  readonly next?: string
}

export interface SearchHit {
  readonly uuid: string
  readonly createdAt: string
  /** A short excerpt around the match, with the matched words between « and ». */
  readonly snippet: string
  readonly rank: number
}

/** The Store port. Adapters: SQLite (embedded default) and PostgreSQL; one contract test suite runs on both. */
export interface Store {
  readonly kind: 'sqlite' | 'postgres'
  /** Runs the versioned schema migrations that have not run yet. */
  migrate(): Promise<void>
  /** Inserts several vCons in one transaction (group commit); outcomes in input order. */
  insertMany(
    records: readonly NewVcon[],
    options?: readonly InsertOptions[],
  ): Promise<InsertOutcome[]>
  /**
   * Creates or replaces (PUT); indexes are rebuilt. With `onlyIfExists` or `expectedVersion`, a vCon that is not
   * stored (erased meanwhile) is not created again: 'missing', nothing written. With `expectedVersion`, a vCon
   * whose stored version is another (changed by someone else meanwhile) is left as it is: 'conflict'.
   */
  put(record: NewVcon, options?: PutOptions): Promise<PutOutcome>
  get(uuid: string): Promise<StoredVcon | undefined>
  getMany(uuids: readonly string[]): Promise<(StoredVcon | undefined)[]>
  /** Deletes the vCon and every index row derived from it; false when there was none. */
  delete(uuid: string): Promise<boolean>
  list(query: ListQuery): Promise<ListPage>
  search(query: string, limit: number): Promise<SearchHit[]>
  /** Throws when the store cannot be reached (readiness). */
  ping(): Promise<void>
  close(): Promise<void>
}
