/**
 * @module The behaviour every lifecycle outbox adapter must show (ledger/lifecycle-outbox.ts), run against real
 * SQLite and real PostgreSQL: chains built from the heads read in the write transaction, events in order per
 * vCon, idempotent inserts, all-or-nothing groups, pending/done/failed, and concurrent writers on separate
 * connections that never fork a chain. Events here are plain JSON documents (no signatures): what is under
 * test is the storage, not the event format.
 */
import assert from 'node:assert/strict'
import { createHash, randomUUID } from 'node:crypto'
import { test } from 'node:test'
import type {
  LifecycleHead,
  LifecycleOutbox,
  LifecycleRecord,
  OutboxEvent,
} from '../src/ledger/lifecycle-outbox.js'

/** Opens outboxes on one database (each call: a connection or pool of its own), and removes it at the end. */
export interface OutboxFixture {
  open(): Promise<LifecycleOutbox>
  cleanup(): Promise<void>
}

interface Item {
  readonly vconUuid: string
  readonly event: string
  readonly tag: string
  /** Undefined: no hash of its own (like a deletion), the head's is kept. */
  readonly hash?: string
}

const sha = (text: string) => createHash('sha256').update(text).digest('hex')

/** A build that chains on the head it is given, recording what it saw. */
function chainBuilder(seen: { uuid: string; head: LifecycleHead | undefined }[] = []) {
  return (item: Item, head: LifecycleHead | undefined): OutboxEvent | undefined => {
    seen.push({ uuid: item.vconUuid, head })
    const vconHash = item.hash ?? head?.vconHash
    if (vconHash === undefined) return undefined
    const document = JSON.stringify({
      event: item.event,
      vcon_uuid: item.vconUuid,
      vcon_hash: vconHash,
      prev: item.event === 'vcon_created' ? null : (head?.lastDigest ?? null),
      tag: item.tag,
    })
    return {
      event: item.event,
      digest: sha(document),
      document,
      statement: new TextEncoder().encode(`signed:${document}`),
      vconHash,
      createdAt: 1_700_000_000_000,
    }
  }
}

/** Asserts that the events form one linear chain: first prev null, each next prev the previous digest. */
export function assertLinear(events: readonly LifecycleRecord[], label = ''): void {
  assert.ok(events.length > 0, `${label}: no events`)
  assert.equal(
    events.filter((e) => e.document.prev === null).length,
    1,
    `${label}: one event starts the history`,
  )
  assert.equal(events[0]?.document.prev, null, `${label}: the first event starts it`)
  for (let i = 1; i < events.length; i++) {
    assert.equal(
      events[i]?.document.prev,
      events[i - 1]?.digest,
      `${label}: event ${i} names the one before it`,
    )
  }
  assert.equal(new Set(events.map((e) => e.digest)).size, events.length, `${label}: digests unique`)
}

export function runLifecycleOutboxContract(
  name: string,
  fixture: () => Promise<OutboxFixture>,
): void {
  const withOutbox = async (
    body: (outbox: LifecycleOutbox, f: OutboxFixture) => Promise<void>,
  ): Promise<void> => {
    const f = await fixture()
    try {
      const outbox = await f.open()
      await body(outbox, f)
    } finally {
      await f.cleanup()
    }
  }

  test(`${name} outbox: migrate twice, then events chain per vCon in the order written`, () =>
    withOutbox(async (outbox) => {
      await outbox.migrate()
      const a = randomUUID()
      const b = randomUUID()
      const seen: { uuid: string; head: LifecycleHead | undefined }[] = []
      const build = chainBuilder(seen)
      const stored = await outbox.append(
        [
          { vconUuid: a, event: 'vcon_created', tag: 'a1', hash: 'h-a1' },
          { vconUuid: b, event: 'vcon_created', tag: 'b1', hash: 'h-b1' },
          { vconUuid: a, event: 'vcon_enhanced', tag: 'a2', hash: 'h-a2' },
        ],
        build,
      )
      assert.equal(stored, 3)
      // The head of a within the same group: the event just built.
      assert.equal(seen[0]?.head, undefined)
      assert.equal(seen[2]?.head?.vconHash, 'h-a1')
      // A later group reads the committed head; an item without a hash keeps the head's.
      await outbox.append(
        [
          { vconUuid: b, event: 'vcon_sent', tag: 'b2' },
          { vconUuid: a, event: 'vcon_deleted', tag: 'a3' },
        ],
        build,
      )
      const eventsA = await outbox.events(a)
      assert.deepEqual(
        eventsA.map((e) => e.document.tag),
        ['a1', 'a2', 'a3'],
      )
      assertLinear(eventsA, 'a')
      assert.equal(eventsA[2]?.document.vcon_hash, 'h-a2')
      const eventsB = await outbox.events(b)
      assert.deepEqual(
        eventsB.map((e) => e.document.tag),
        ['b1', 'b2'],
      )
      assertLinear(eventsB, 'b')
      assert.ok(eventsA.every((e, i) => i === 0 || e.seq > (eventsA[i - 1] as LifecycleRecord).seq))
      const first = eventsA[0] as LifecycleRecord
      assert.equal(
        new TextDecoder().decode(first.statement),
        `signed:${JSON.stringify(first.document)}`,
      )
      assert.equal(first.entryId, undefined)
      assert.equal(first.receipt, undefined)
      assert.deepEqual(await outbox.events(randomUUID()), [])
    }))

  test(`${name} outbox: an event stored already is not stored again, and a skipped item changes nothing`, () =>
    withOutbox(async (outbox) => {
      const uuid = randomUUID()
      const build = chainBuilder()
      const created = { vconUuid: uuid, event: 'vcon_created', tag: 'c', hash: 'h1' }
      assert.equal(await outbox.append([created], build), 1)
      // The same document again (a retried write): the same digest, not stored twice.
      assert.equal(await outbox.append([created, created], build), 0)
      // No hash and no head: build skips it.
      const other = randomUUID()
      assert.equal(
        await outbox.append([{ vconUuid: other, event: 'vcon_deleted', tag: 'x' }], build),
        0,
      )
      assert.deepEqual(await outbox.events(other), [])
      await outbox.append([{ vconUuid: uuid, event: 'vcon_enhanced', tag: 'e', hash: 'h2' }], build)
      const events = await outbox.events(uuid)
      assert.equal(events.length, 2)
      assertLinear(events, 'idempotent')
      assert.equal(await outbox.pendingCount(), 2)
    }))

  test(`${name} outbox: a group is stored whole or not at all`, () =>
    withOutbox(async (outbox) => {
      const uuid = randomUUID()
      const build = chainBuilder()
      await outbox.append([{ vconUuid: uuid, event: 'vcon_created', tag: 'c', hash: 'h1' }], build)
      let calls = 0
      await assert.rejects(
        outbox.append(
          [
            { vconUuid: uuid, event: 'vcon_enhanced', tag: 'e1', hash: 'h2' },
            { vconUuid: uuid, event: 'vcon_enhanced', tag: 'e2', hash: 'h3' },
          ],
          (item, head) => {
            if (++calls === 2) throw new Error('build failed')
            return build(item, head)
          },
        ),
        /build failed/,
      )
      assert.equal((await outbox.events(uuid)).length, 1)
      // The head did not move either: the next event names the first.
      await outbox.append(
        [{ vconUuid: uuid, event: 'vcon_enhanced', tag: 'e3', hash: 'h4' }],
        build,
      )
      assertLinear(await outbox.events(uuid), 'rolled back')
    }))

  test(`${name} outbox: pending rows oldest first; receipts mark them done, failures keep them pending`, () =>
    withOutbox(async (outbox) => {
      const build = chainBuilder()
      const uuids = [randomUUID(), randomUUID(), randomUUID()]
      await outbox.append(
        uuids.map((u, i) => ({ vconUuid: u, event: 'vcon_created', tag: `p${i}`, hash: `h${i}` })),
        build,
      )
      assert.equal(await outbox.pendingCount(), 3)
      const pending = await outbox.pending(2)
      assert.deepEqual(
        pending.map((p) => p.document.tag),
        ['p0', 'p1'],
      )
      const [p0, p1] = pending as [LifecycleRecord, LifecycleRecord]
      const receipt = new Uint8Array([0xd2, 0x84, 1, 2, 3])
      await outbox.settle([
        { seq: p0.seq, entryId: 'entry-0', receipt },
        { seq: p1.seq, error: 'ledger away' },
      ])
      await outbox.settle([])
      assert.equal(await outbox.pendingCount(), 2)
      const done = (await outbox.events(uuids[0] as string))[0]
      assert.equal(done?.entryId, 'entry-0')
      assert.deepEqual(done?.receipt, receipt)
      assert.equal((await outbox.events(uuids[1] as string))[0]?.entryId, undefined)
      // The failed row is still first in line.
      assert.deepEqual(
        (await outbox.pending(10)).map((p) => p.document.tag),
        ['p1', 'p2'],
      )
      await outbox.settle([{ seq: p1.seq, entryId: 'entry-1', receipt }])
      assert.equal(await outbox.pendingCount(), 1)
    }))

  test(`${name} outbox: writers on separate connections appending for the same vCons never fork a chain`, () =>
    withOutbox(async (first, f) => {
      const second = await f.open()
      const uuids = [randomUUID(), randomUUID(), randomUUID()]
      const build = chainBuilder()
      await first.append(
        uuids.map((u) => ({ vconUuid: u, event: 'vcon_created', tag: 'c', hash: 'h0' })),
        build,
      )
      const writer = (outbox: LifecycleOutbox, who: string) =>
        (async () => {
          for (let round = 0; round < 15; round++) {
            await outbox.append(
              uuids.map((u) => ({
                vconUuid: u,
                event: 'vcon_enhanced',
                tag: `${who}${round}`,
                hash: `${who}-${round}`,
              })),
              build,
            )
          }
        })()
      await Promise.all([writer(first, 'x'), writer(second, 'y')])
      for (const uuid of uuids) {
        const events = await second.events(uuid)
        assert.equal(events.length, 31)
        assertLinear(events, uuid)
      }
    }))
}
