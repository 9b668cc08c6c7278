/**
 * @module The Store contract for index refs (migration 3): sip and did party filters, identifiers written in text,
 * full-text words as a list filter, and the later versions of a vCon (derivedFrom). Part of the one contract
 * (store-contract.ts) every adapter passes.
 */
import assert from 'node:assert/strict'
import type { Vcon } from '@vconkit/vcon'
import type { ListQuery, Store } from '../src/ports/store.js'
import type { StoreFixture } from './store-contract.js'
import { record } from './store-contract.js'

type WithStore = (title: string, body: (fixture: StoreFixture) => Promise<void>) => void

const uuidOf = (n: number) => `0190a000-0000-8000-8000-${String(n).padStart(12, '0')}`

function vconOf(uuid: string, extra: Record<string, unknown>): Vcon {
  return {
    vcon: '0.4.0',
    uuid,
    created_at: '2025-03-04T10:00:00.000Z',
    parties: [{ name: 'Someone' }],
    ...extra,
  } as Vcon
}

async function uuids(store: Store, filter: Omit<ListQuery, 'limit'>): Promise<string[]> {
  return (await store.list({ ...filter, limit: 100 })).items.map((i) => i.uuid).sort()
}

export function refsContract(withStore: WithStore): void {
  withStore(
    'refs: sip and did parties, identifiers in text, words, lineage; rebuilt on put, gone on delete',
    async ({ store, residue }) => {
      const first = vconOf(uuidOf(1), {
        parties: [{ sip: 'sip:Alice@Example.COM', did: 'did:example:abc' }],
        dialog: [
          {
            type: 'text',
            start: '2025-03-04T10:00:00.000Z',
            parties: [0],
            mediatype: 'text/plain',
            encoding: 'none',
            body: 'Quokka here: call +1 555 010 0100, sip:carol@example.org or did:web:x.example',
          },
        ],
        attachments: [
          {
            purpose: 'note',
            party: 0,
            dialog: 0,
            encoding: 'none',
            body: 'write to Bob@Example.com',
          },
        ],
      })
      const amends = vconOf(uuidOf(2), { amended: { uuid: uuidOf(1) } })
      const redacts = vconOf(uuidOf(3), { redacted: { uuid: uuidOf(1), type: 'pii' } })
      await store.insertMany([record(first), record(amends), record(redacts)])

      assert.deepEqual(await uuids(store, { sip: 'sips:Alice@example.com' }), [uuidOf(1)])
      // The user part of a sip URI is case-sensitive (RFC 3261 §19.1.4).
      assert.deepEqual(await uuids(store, { sip: 'sip:alice@example.com' }), [])
      assert.deepEqual(await uuids(store, { did: 'did:example:abc' }), [uuidOf(1)])
      assert.deepEqual(await uuids(store, { did: 'did:example:ABC' }), [])
      const mention = (
        kind: 'text_tel' | 'text_mailto' | 'text_sip' | 'text_did',
        values: string[],
      ) => uuids(store, { refs: { kind, values } })
      assert.deepEqual(await mention('text_tel', ['+15550100100']), [uuidOf(1)])
      assert.deepEqual(await mention('text_tel', ['5550100100', '+15550100100']), [uuidOf(1)])
      assert.deepEqual(await mention('text_tel', ['5550100100']), [])
      assert.deepEqual(await mention('text_mailto', ['bob@example.com']), [uuidOf(1)])
      assert.deepEqual(await mention('text_sip', ['carol@example.org']), [uuidOf(1)])
      assert.deepEqual(await mention('text_did', ['did:web:x.example']), [uuidOf(1)])
      assert.deepEqual(await mention('text_did', []), [])
      assert.deepEqual(await uuids(store, { text: 'QUOKKA call' }), [uuidOf(1)])
      assert.deepEqual(await uuids(store, { text: 'quokka wombat' }), [])
      assert.deepEqual(await uuids(store, { text: '!!' }), [])
      assert.deepEqual(await uuids(store, { derivedFrom: uuidOf(1).toUpperCase() }), [
        uuidOf(2),
        uuidOf(3),
      ])
      assert.deepEqual(await uuids(store, { derivedFrom: uuidOf(2) }), [])
      // Filters combine with the others (AND).
      assert.deepEqual(
        await uuids(store, { derivedFrom: uuidOf(1), since: '2030-01-01T00:00:00Z' }),
        [],
      )

      assert.equal(
        await store.put(record(vconOf(uuidOf(1), { parties: [{ name: 'Other' }] }))),
        'replaced',
      )
      assert.deepEqual(await uuids(store, { sip: 'sip:Alice@example.com' }), [])
      assert.deepEqual(await mention('text_tel', ['+15550100100']), [])
      assert.ok(await store.delete(uuidOf(2)))
      assert.deepEqual(await uuids(store, { derivedFrom: uuidOf(1) }), [uuidOf(3)])
      assert.equal(await residue(uuidOf(2), 'no-such-word'), 0)
    },
  )
}
