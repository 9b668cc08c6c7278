/**
 * @module Erasure of one vCon everywhere the conserver keeps it (GDPR Art. 17 "right to erasure", and the
 * storage-limitation principle of Art. 5(1)(e) for expiry): the stored JSON with every index row derived from it
 * and its idempotency keys (Store.delete), its queue entries, dead letters and egress entries (Queue.dropVcon),
 * and whatever else keeps facts about it (privacy rules, skip records, chain memberships: the `forget` hooks).
 * The lifecycle event (vcon_deleted or vcon_expired, draft-howe-vcon-lifecycle) is recorded only when something
 * was stored; `proveEvents` waits for it to be registered and returns its entry id, the caller's proof.
 *
 * What erasure cannot reach is said in erase-compaction.ts (database files) and in the report of the feature:
 * backups, PostgreSQL WAL segments until recycled, copies already delivered to webhooks and egress consumers.
 */
import type { LifecycleEventName } from '@vconkit/ledger'
import type { LifecycleRecorder } from '../ledger/lifecycle-recorder.js'
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'

/** A per-key mutex (http/keyed-lock.ts): erasure of a vCon waits for an edit of it in this process. */
export interface ErasureLock {
  run<T>(key: string, task: () => Promise<T>): Promise<T>
}

/** What erasure of one vCon touches. */
export interface ErasureDeps {
  readonly store: Pick<Store, 'get' | 'delete'>
  readonly queue: Pick<Queue, 'dropVcon'>
  /** The ledger's recorder; absent when the ledger is off (nothing is recorded then). */
  readonly recorder?: Pick<LifecycleRecorder, 'record' | 'flush' | 'events'> | undefined
  readonly locks?: ErasureLock | undefined
  /**
   * Other components that keep facts about a vCon, called with its uuid after the store delete (the privacy
   * state's `forgetVcon`, the chain memberships' `forget`). Called even when the store had no such vCon.
   */
  readonly forget?: readonly ((uuid: string) => Promise<void>)[] | undefined
}

/** The events erasure and expiry write. */
export type ErasureEventName = Extract<LifecycleEventName, 'vcon_deleted' | 'vcon_expired'>

/** Why a vCon is erased: the event and a reason token of the ledger's vocabulary (no free text, no names). */
export interface ErasureCause {
  readonly event: ErasureEventName
  /** e.g. erasure_request, controller_instruction, retention_expired. */
  readonly reason: string
}

/** An event recorded by an erasure, before proof. */
export interface RecordedEvent {
  readonly uuid: string
  readonly event: LifecycleEventName
}

/** An event with its ledger entry id once registered (absent: the ledger is off or did not answer yet). */
export interface ProvenEvent extends RecordedEvent {
  readonly entryId?: string
}

/**
 * Deletes one vCon everywhere and records `cause.event` when it was stored. Returns whether it was stored.
 * The queue and the `forget` hooks are cleaned even when it was not: a job may name a uuid the store lost.
 */
export async function eraseVcon(
  deps: ErasureDeps,
  uuid: string,
  cause: ErasureCause,
): Promise<boolean> {
  const work = async () => {
    // Read first so the event binds the hash of what was erased, even when the ledger has no earlier event of
    // this vCon (ingested while the ledger was off); the hash is what the ledger already holds, never content.
    const stored = await deps.store.get(uuid)
    const removed = await deps.store.delete(uuid)
    return { removed, json: stored?.json }
  }
  const { removed, json } =
    deps.locks === undefined ? await work() : await deps.locks.run(uuid, work)
  await deps.queue.dropVcon(uuid)
  for (const forget of deps.forget ?? []) await forget(uuid)
  if (removed) {
    deps.recorder?.record({
      event: cause.event,
      vconUuid: uuid,
      reason: cause.reason,
      ...(json === undefined ? {} : { vcon: json }),
    })
  }
  return removed
}

/**
 * Waits until the recorded events are in the ledger (recorder.flush: written to the outbox, one registration
 * attempt made) and returns each with its entry id. The entry id is the newest row of that event for that
 * uuid: erasure records at most one of each per uuid per call.
 */
export async function proveEvents(
  recorder: ErasureDeps['recorder'],
  events: readonly RecordedEvent[],
): Promise<ProvenEvent[]> {
  if (recorder === undefined || events.length === 0) return events.map((e) => ({ ...e }))
  await recorder.flush()
  const proven: ProvenEvent[] = []
  for (const e of events) {
    const rows = (await recorder.events(e.uuid)).filter((row) => row.event === e.event)
    const entryId = rows[rows.length - 1]?.entryId
    proven.push(entryId === undefined ? { ...e } : { ...e, entryId })
  }
  return proven
}
