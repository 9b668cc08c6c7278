/**
 * @module The one contract every Store and TokenStore adapter passes (design.md §3): run by sqlite-store.test.ts and
 * postgres-store.test.ts. Each test gets a fresh, migrated store and cleans it up.
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createUuid8Generator, type Vcon, VconBuilder } from '@vconkit/vcon'
import type { NewVcon, Store } from '../src/ports/store.js'
import type { TokenRecord, TokenStore } from '../src/ports/token-store.js'
import { deriveIndex } from '../src/store/derive-index.js'
import { refsContract } from './store-contract-refs.js'

export interface StoreFixture {
  readonly store: Store
  readonly tokens: TokenStore
  /**
   * Rows left anywhere in the adapter's tables (index tables, full text, idempotency keys) that name `uuid` or
   * whose full text contains `word`: erasure must leave none.
   */
  readonly residue: (uuid: string, word: string) => Promise<number>
  readonly cleanup: () => Promise<void>
}

const INGEST_TIME = Date.parse('2025-06-01T00:00:00.000Z')

export interface VconSpec {
  readonly created?: string
  readonly tel?: string
  readonly mailto?: string
  readonly name?: string
  readonly tags?: Readonly<Record<string, string>>
  readonly subject?: string
  readonly text?: string
}

/** UUIDv8 on the real clock: unique and increasing within this process, whatever `created` the vCon has. */
const nextUuid = createUuid8Generator({ domain: 'example.com' })

/** A valid vCon built with VconBuilder, and the record a Store takes. */
export function makeVcon(spec: VconSpec = {}): NewVcon {
  const created = new Date(spec.created ?? '2025-03-04T10:00:00.000Z')
  const b = new VconBuilder({ uuid: nextUuid(), now: () => created })
  const party = b.addParty({
    ...(spec.tel === undefined ? {} : { tel: spec.tel }),
    ...(spec.mailto === undefined ? {} : { mailto: spec.mailto }),
    ...(spec.name === undefined ? {} : { name: spec.name, validation: 'none' }),
  })
  const dialog = b.addTextDialog({
    parties: party,
    start: created,
    body: spec.text ?? 'Hello, I am calling about my account.',
  })
  if (spec.tags !== undefined) b.addTags(spec.tags, { party, dialog })
  if (spec.subject !== undefined) b.setSubject(spec.subject)
  return record(b.build())
}

/** The Store record of a vCon, with `json` as given (default: JSON.stringify). */
export function record(vcon: Vcon, json = JSON.stringify(vcon)): NewVcon {
  return { uuid: vcon.uuid, json, vcon, index: deriveIndex(vcon, () => INGEST_TIME) }
}

async function collect(store: Store, filter: Omit<Parameters<Store['list']>[0], 'limit'>) {
  const page = await store.list({ ...filter, limit: 1000 })
  return page.items.map((item) => item.uuid).sort()
}

/** Pages through `list` and returns every uuid seen, asserting the keyset order on the way. */
async function pageThrough(store: Store, limit: number, between?: () => Promise<void>) {
  const seen: string[] = []
  let after: string | undefined
  let previous: { createdAt: string; uuid: string } | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const page = await store.list({ limit, ...(after === undefined ? {} : { after }) })
    assert.ok(page.items.length <= limit)
    for (const item of page.items) {
      if (previous !== undefined) {
        const descending =
          item.createdAt < previous.createdAt ||
          (item.createdAt === previous.createdAt && item.uuid < previous.uuid)
        assert.ok(descending, `order broken at ${item.uuid}`)
      }
      previous = item
      seen.push(item.uuid)
    }
    if (page.next === undefined) return seen
    after = page.next
    await between?.()
  }
  throw new Error('pagination did not end')
}

export function runStoreContract(name: string, makeStore: () => Promise<StoreFixture>): void {
  const withStore = (title: string, body: (f: StoreFixture) => Promise<void>) =>
    test(title, async () => {
      const fixture = await makeStore()
      try {
        await body(fixture)
      } finally {
        await fixture.cleanup()
      }
    })

  describe(`Store contract: ${name}`, () => {
    withStore('insert then get returns the JSON byte for byte', async ({ store }) => {
      const built = makeVcon({ name: 'Zoë', text: 'Grüße aus Köln 🎧' })
      // Key order as sent (uuid last), escapes kept as escapes, unicode as is, odd whitespace.
      const { uuid, ...rest } = JSON.parse(built.json) as Record<string, unknown>
      const text = `{\n  "subject" : "caf\\u00e9 \\"quoted\\" \\\\ back\\/slash\\n",\t${JSON.stringify(rest).slice(1, -1)},\n"uuid":"${uuid as string}"  }`
      const vcon = JSON.parse(text) as Vcon
      assert.equal(vcon.subject, 'café "quoted" \\ back/slash\n')
      const outcomes = await store.insertMany([record(vcon, text)])
      assert.deepEqual(outcomes, [{ status: 'created', uuid }])
      const stored = await store.get(uuid as string)
      assert.ok(stored !== undefined)
      assert.equal(stored.json, text)
      assert.equal(Buffer.compare(Buffer.from(stored.json), Buffer.from(text)), 0)
      assert.equal(stored.version, 1)
      assert.equal(stored.createdAt, '2025-03-04T10:00:00.000Z')
      assert.ok(!Number.isNaN(Date.parse(stored.storedAt)))
      assert.equal(await store.get('00000000-0000-8000-8000-000000000000'), undefined)
    })

    withStore("a second insert of a uuid is 'exists' and changes nothing", async ({ store }) => {
      const first = makeVcon({ subject: 'first' })
      assert.deepEqual(await store.insertMany([first]), [{ status: 'created', uuid: first.uuid }])
      const again = record({ ...first.vcon, subject: 'second' })
      assert.deepEqual(await store.insertMany([again]), [{ status: 'exists', uuid: first.uuid }])
      assert.equal((await store.get(first.uuid))?.json, first.json)
      assert.deepEqual(await collect(store, { subject: 'second' }), [])
      assert.deepEqual(await store.insertMany([]), [])
    })

    withStore(
      'an idempotency key replays for its uuid and conflicts for another',
      async ({ store }) => {
        const a = makeVcon({ subject: 'a' })
        const b = makeVcon({ subject: 'b' })
        const key = [{ idempotencyKey: 'key-1' }]
        assert.deepEqual(await store.insertMany([a], key), [{ status: 'created', uuid: a.uuid }])
        assert.deepEqual(await store.insertMany([a], key), [{ status: 'replayed', uuid: a.uuid }])
        assert.deepEqual(await store.insertMany([b], key), [
          { status: 'key-conflict', uuid: b.uuid },
        ])
        assert.equal(await store.get(b.uuid), undefined, 'nothing written on a key conflict')
        assert.deepEqual(await store.insertMany([a], [{ idempotencyKey: 'key-2' }]), [
          { status: 'exists', uuid: a.uuid },
        ])
        // Within one batch: the key binds to its first record.
        const c = makeVcon({ subject: 'c' })
        const d = makeVcon({ subject: 'd' })
        const k3 = { idempotencyKey: 'key-3' }
        assert.deepEqual(await store.insertMany([c, c, d], [k3, k3, k3]), [
          { status: 'created', uuid: c.uuid },
          { status: 'replayed', uuid: c.uuid },
          { status: 'key-conflict', uuid: d.uuid },
        ])
      },
    )

    withStore('insertMany mixes new and existing uuids in one call', async ({ store }) => {
      const [a, b, c] = [makeVcon(), makeVcon(), makeVcon()] as [NewVcon, NewVcon, NewVcon]
      await store.insertMany([a])
      const outcomes = await store.insertMany([b, a, c, b])
      assert.deepEqual(
        outcomes.map((o) => [o.status, o.uuid]),
        [
          ['created', b.uuid],
          ['exists', a.uuid],
          ['created', c.uuid],
          ['exists', b.uuid],
        ],
      )
      const all = await store.getMany([a.uuid, b.uuid, c.uuid])
      assert.deepEqual(
        all.map((s) => s?.json),
        [a.json, b.json, c.json],
      )
    })

    withStore(
      'put creates, then replaces with a new version and rebuilt indexes',
      async ({ store }) => {
        const v1 = makeVcon({ tel: '+15550001111', tags: { queue: 'old' }, text: 'aardvark' })
        assert.equal(await store.put(v1), 'created')
        assert.equal((await store.get(v1.uuid))?.version, 1)
        const b = new VconBuilder({ uuid: v1.uuid, now: () => new Date('2025-03-05T00:00:00Z') })
        const p = b.addParty({ tel: '+15550002222' })
        const d = b.addTextDialog({ parties: p, start: '2025-03-05T00:00:00Z', body: 'zebra' })
        b.addTags({ queue: 'new' }, { party: p, dialog: d })
        const v2 = record(b.build())
        assert.equal(await store.put(v2), 'replaced')
        const stored = await store.get(v1.uuid)
        assert.equal(stored?.version, 2)
        assert.equal(stored?.json, v2.json)
        assert.equal(stored?.createdAt, '2025-03-05T00:00:00.000Z')
        assert.deepEqual(await collect(store, { tel: '+15550001111' }), [])
        assert.deepEqual(await collect(store, { tel: '+15550002222' }), [v1.uuid])
        assert.deepEqual(await collect(store, { tag: 'queue:old' }), [])
        assert.deepEqual(await collect(store, { tag: 'queue:new' }), [v1.uuid])
        assert.deepEqual(await store.search('aardvark', 10), [])
        assert.deepEqual(
          (await store.search('zebra', 10)).map((h) => h.uuid),
          [v1.uuid],
        )
        assert.equal(await store.put(v2), 'replaced')
        assert.equal((await store.get(v1.uuid))?.version, 3)
      },
    )

    withStore(
      'put with onlyIfExists replaces, but never brings back an erased vCon',
      async ({ store }) => {
        const v = makeVcon({ tel: '+15550003333', text: 'pangolin' })
        assert.equal(await store.put(v, { onlyIfExists: true }), 'missing')
        assert.equal(await store.get(v.uuid), undefined)
        assert.equal(await store.put(v), 'created')
        assert.equal(await store.put(v, { onlyIfExists: true }), 'replaced')
        assert.equal(await store.delete(v.uuid), true)
        assert.equal(await store.put(v, { onlyIfExists: true }), 'missing')
        assert.equal(await store.get(v.uuid), undefined)
        assert.deepEqual(await store.search('pangolin', 10), [])
      },
    )

    withStore(
      'put with expectedVersion replaces only the version that was read',
      async ({ store }) => {
        const v = makeVcon({ tel: '+15550004444', text: 'okapi' })
        assert.equal(await store.put(v, { expectedVersion: 1 }), 'missing')
        assert.equal(await store.put(v), 'created')
        assert.equal(await store.put(v, { expectedVersion: 2 }), 'conflict')
        assert.equal((await store.get(v.uuid))?.version, 1)
        assert.equal(await store.put(v, { expectedVersion: 1 }), 'replaced')
        assert.equal(await store.put(v, { expectedVersion: 1 }), 'conflict')
        assert.equal((await store.get(v.uuid))?.version, 2)
      },
    )

    withStore(
      'delete removes the vCon and everything derived from it',
      async ({ store, residue }) => {
        const v = makeVcon({
          tel: '+15559990000',
          mailto: 'gone@example.com',
          name: 'Erased Person',
          tags: { secret: 'yes' },
          text: 'the quixotic password',
        })
        const keep = makeVcon({ text: 'an unrelated conversation' })
        await store.insertMany([v, keep], [{ idempotencyKey: 'erase-key' }, {}])
        assert.ok(
          (await residue(v.uuid, 'quixotic')) > 0,
          'residue() sees the rows before deletion',
        )
        assert.equal(await store.delete(v.uuid), true)
        assert.equal(await store.get(v.uuid), undefined)
        assert.deepEqual(await store.getMany([v.uuid]), [undefined])
        for (const filter of [
          { tel: '+15559990000' },
          { mailto: 'gone@example.com' },
          { name: 'erased person' },
          { tag: 'secret:yes' },
          { tag: 'secret' },
        ]) {
          assert.deepEqual(await collect(store, filter), [], JSON.stringify(filter))
        }
        assert.deepEqual(await store.search('quixotic', 10), [])
        assert.equal(await residue(v.uuid, 'quixotic'), 0, 'no row anywhere still holds the vCon')
        assert.equal(await store.delete(v.uuid), false)
        assert.equal((await store.get(keep.uuid))?.json, keep.json)
        // The key went with the vCon: the same request can create it again.
        assert.deepEqual(await store.insertMany([v], [{ idempotencyKey: 'erase-key' }]), [
          { status: 'created', uuid: v.uuid },
        ])
      },
    )

    withStore('list filters: time range, parties, tags, subject', async ({ store }) => {
      const a = makeVcon({
        created: '2025-01-10T00:00:00Z',
        tel: '+1 (555) 123-0000',
        mailto: 'Bob@Example.COM',
        name: '  Alice   Smith ',
        tags: { queue: 'sales', region: 'eu' },
        subject: 'Refund for ORDER 42',
      })
      const b = makeVcon({
        created: '2025-02-10T00:00:00Z',
        tel: '+44 20 7946 0000',
        tags: { queue: 'support' },
        subject: 'Delivery to the ÉCOLE',
      })
      const c = makeVcon({
        created: '2025-03-10T00:00:00Z',
        name: 'Carol',
        subject: 'Another order',
      })
      await store.insertMany([a, b, c])
      const sorted = (...v: NewVcon[]) => v.map((x) => x.uuid).sort()
      assert.deepEqual(await collect(store, {}), sorted(a, b, c))
      assert.deepEqual(await collect(store, { since: '2025-02-10T00:00:00Z' }), sorted(b, c))
      assert.deepEqual(await collect(store, { until: '2025-02-10T00:00:00Z' }), sorted(a))
      assert.deepEqual(
        await collect(store, { since: '2025-01-11T00:00:00+00:00', until: '2025-03-10T00:00:00Z' }),
        sorted(b),
      )
      for (const tel of [
        '+15551230000',
        'tel:+1-555-123-0000',
        '+1.555.123.0000',
        ' +1 555 123 0000 ',
      ]) {
        assert.deepEqual(await collect(store, { tel }), sorted(a), tel)
      }
      assert.deepEqual(await collect(store, { tel: '+15551230001' }), [])
      assert.deepEqual(await collect(store, { tel: 'no digits' }), [])
      assert.deepEqual(await collect(store, { mailto: 'mailto:BOB@example.com' }), sorted(a))
      assert.deepEqual(await collect(store, { name: 'ALICE SMITH' }), sorted(a))
      assert.deepEqual(await collect(store, { name: 'alice' }), [], 'names match exactly')
      assert.deepEqual(await collect(store, { tag: 'queue:sales' }), sorted(a))
      assert.deepEqual(await collect(store, { tag: 'queue' }), sorted(a, b))
      assert.deepEqual(await collect(store, { tag: 'queue:sal' }), [])
      assert.deepEqual(await collect(store, { tag: 'region:eu', tel: '+15551230000' }), sorted(a))
      assert.deepEqual(await collect(store, { tag: 'region:eu', tel: '+442079460000' }), [])
      assert.deepEqual(await collect(store, { subject: 'order' }), sorted(a, c))
      assert.deepEqual(await collect(store, { subject: 'ORDER 4' }), sorted(a))
      assert.deepEqual(await collect(store, { subject: '%' }), [], 'no LIKE wildcards')
      // Beyond ASCII (on PostgreSQL this needs a UTF-8 locale, as every supported setup has).
      assert.deepEqual(await collect(store, { subject: 'école' }), sorted(b))
      const page = await store.list({ limit: 10 })
      assert.deepEqual(page.items[0], {
        uuid: c.uuid,
        createdAt: '2025-03-10T00:00:00.000Z',
        subject: 'Another order',
      })
      assert.equal(page.next, undefined)
      await assert.rejects(store.list({ limit: 10, since: 'last week' }), { code: 'BAD_REQUEST' })
      await assert.rejects(store.list({ limit: 10, after: 'garbage!' }), { code: 'BAD_REQUEST' })
    })

    withStore('keyset pagination over 250 vCons: no duplicates, no gaps', async ({ store }) => {
      // Three vCons per second, so that ties on createdAt are broken by uuid.
      const base = Date.parse('2025-01-01T00:00:00Z')
      const records = Array.from({ length: 250 }, (_, i) =>
        makeVcon({ created: new Date(base + Math.floor(i / 3) * 1000).toISOString() }),
      )
      assert.ok(
        (await store.insertMany(records)).every((o) => o.status === 'created'),
        'one batch of 250',
      )
      const expected = records.map((r) => r.uuid).sort()
      const seen = await pageThrough(store, 40)
      assert.equal(seen.length, 250)
      assert.deepEqual([...seen].sort(), expected)

      // Inserting between pages, before and after the cursor, neither repeats nor skips the original set.
      let n = 0
      const seenWhileWriting = await pageThrough(store, 25, async () => {
        n++
        await store.insertMany([
          makeVcon({ created: '2026-01-01T00:00:00Z' }),
          makeVcon({ created: new Date(base - n * 1000).toISOString() }),
          makeVcon({ created: new Date(base + 40_000).toISOString() }),
        ])
      })
      assert.equal(new Set(seenWhileWriting).size, seenWhileWriting.length, 'no duplicates')
      const set = new Set(seenWhileWriting)
      assert.ok(
        expected.every((u) => set.has(u)),
        'no gaps',
      )
    })

    withStore('search finds transcript words with a snippet', async ({ store }) => {
      const hit = makeVcon({
        subject: 'Kitchen appliance',
        text: 'The customer asked about the warranty on her blender, which stopped after a week.',
      })
      const other = makeVcon({ text: 'A call about a delayed parcel and the warranty card.' })
      await store.insertMany([hit, other])
      const hits = await store.search('warranty blender', 10)
      assert.equal(hits.length, 1)
      const [first] = hits
      assert.equal(first?.uuid, hit.uuid)
      assert.equal(first?.createdAt, '2025-03-04T10:00:00.000Z')
      assert.match(first?.snippet ?? '', /«warranty»/)
      assert.match(first?.snippet ?? '', /«blender»/)
      assert.equal(typeof first?.rank, 'number')
      assert.deepEqual(
        (await store.search('WARRANTY', 10)).map((h) => h.uuid).sort(),
        [hit.uuid, other.uuid].sort(),
      )
      assert.equal((await store.search('warranty', 1)).length, 1, 'limit')
      assert.deepEqual(await store.search('dishwasher', 10), [])
      // Operators are words: '-blender' does not exclude, 'blend*' is not a prefix query.
      assert.deepEqual(
        (await store.search('-blender warranty', 10)).map((h) => h.uuid),
        [hit.uuid],
      )
      assert.deepEqual(await store.search('blend*', 10), [])
      assert.deepEqual(await store.search('kitchen', 10).then((h) => h.map((x) => x.uuid)), [
        hit.uuid,
      ])
    })

    withStore(
      'hostile search queries return results or nothing, never throw',
      async ({ store }) => {
        const v = makeVcon({ text: 'near and or not warranty text' })
        await store.insertMany([v])
        const hostile = [
          '"',
          '""',
          '*',
          'AND OR',
          'NEAR(',
          'NEAR(warranty text, 2)',
          '-x',
          ':',
          'text:warranty',
          "'; DROP TABLE vcons; --",
          "O'Brien",
          '\\',
          '()',
          '^warranty',
          '{a b}',
          '\u0000',
          '🎧',
          '',
          '   ',
          'x'.repeat(10 * 1024),
          Array.from({ length: 2000 }, (_, i) => `w${i}`).join(' '),
          '"'.repeat(5000),
        ]
        for (const q of hostile) {
          const hits = await store.search(q, 10)
          assert.ok(Array.isArray(hits), q.slice(0, 40))
        }
        assert.deepEqual(
          (await store.search('AND OR', 10)).map((h) => h.uuid),
          [v.uuid],
          'AND and OR are searched as words',
        )
        assert.deepEqual(
          (await store.search('NEAR(warranty', 10)).map((h) => h.uuid),
          [v.uuid],
        )
        assert.equal((await store.get(v.uuid))?.json, v.json, 'the store still works')
      },
    )

    withStore('getMany answers in the order asked, undefined for missing', async ({ store }) => {
      const [a, b, c] = [makeVcon(), makeVcon(), makeVcon()] as [NewVcon, NewVcon, NewVcon]
      await store.insertMany([a, b, c])
      const missing = '00000000-0000-8000-8000-000000000000'
      const got = await store.getMany([c.uuid, missing, a.uuid, b.uuid, a.uuid])
      assert.deepEqual(
        got.map((s) => s?.uuid),
        [c.uuid, undefined, a.uuid, b.uuid, a.uuid],
      )
      assert.deepEqual(await store.getMany([]), [])
    })

    withStore('migrations re-run safely', async ({ store }) => {
      const v = makeVcon()
      await store.insertMany([v])
      await store.migrate()
      await store.migrate()
      assert.equal((await store.get(v.uuid))?.json, v.json)
      const w = makeVcon()
      assert.deepEqual(await store.insertMany([w]), [{ status: 'created', uuid: w.uuid }])
      await store.ping()
    })

    withStore('tokens: add, find, list, revoke, count', async ({ tokens }) => {
      const admin: TokenRecord = {
        id: 'vck_aaaa',
        hash: 'a'.repeat(64),
        scope: 'admin',
        createdAt: '2025-01-01T00:00:00Z',
      }
      const ingest: TokenRecord = {
        id: 'vck_bbbb',
        hash: 'b'.repeat(64),
        scope: 'ingest',
        lists: ['calls', 'chats'],
        label: 'partner A',
        createdAt: '2025-01-02T00:00:00.000Z',
      }
      assert.equal(await tokens.count(), 0)
      await tokens.add(admin)
      await tokens.add(ingest)
      assert.equal(await tokens.count(), 2)
      assert.deepEqual(await tokens.findByHash('a'.repeat(64)), admin)
      assert.deepEqual(await tokens.findByHash('b'.repeat(64)), ingest)
      assert.equal(await tokens.findByHash('c'.repeat(64)), undefined)
      assert.deepEqual(await tokens.list(), [admin, ingest])
      await assert.rejects(tokens.add({ ...admin, hash: 'd'.repeat(64) }), { code: 'CONFLICT' })
      assert.equal(await tokens.revoke('vck_aaaa'), true)
      assert.equal(await tokens.findByHash('a'.repeat(64)), undefined)
      assert.equal(await tokens.revoke('vck_aaaa'), false)
      assert.equal(await tokens.count(), 1)
      const emptyLists: TokenRecord = { ...admin, id: 'vck_cccc', hash: 'c'.repeat(64), lists: [] }
      await tokens.add(emptyLists)
      assert.deepEqual(await tokens.findByHash('c'.repeat(64)), emptyLists)
    })
    refsContract(withStore)
  })
}
