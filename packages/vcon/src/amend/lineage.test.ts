import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Vcon } from '../model/vcon.js'
import { redactVcon } from '../redact/redact-vcon.js'
import { amendVcon } from './amend-vcon.js'
import { walkLineage } from './lineage.js'

const ORIGIN = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const REDACTED = '01928e10-193e-8231-b9a2-279e0d16bc46'
const AMENDED = '019f15a6-aa72-8dbd-a20f-d188127fad29'

const origin: Vcon = {
  uuid: ORIGIN,
  created_at: '2026-01-01T00:00:00Z',
  parties: [{ name: 'Alice', tel: '+15550100001' }],
}

function store(...vcons: Vcon[]) {
  const byUuid = new Map(vcons.map((v) => [v.uuid, v]))
  const asked: string[] = []
  return {
    asked,
    resolve: async (uuid: string) => {
      asked.push(uuid)
      return byUuid.get(uuid)
    },
  }
}

describe('walkLineage', () => {
  const redacted = redactVcon(origin, { partyFields: ['tel'] }, { newUuid: REDACTED }).vcon
  const amended = amendVcon(redacted, { parties: [{ name: 'Bob' }] }, { newUuid: AMENDED })

  test('walks original → redacted → amended back to the origin', async () => {
    const s = store(origin, redacted, amended)
    const chain = await walkLineage(amended, s.resolve)
    assert.deepEqual(
      chain.map((e) => [e.uuid, e.relation]),
      [
        [AMENDED, 'amended'],
        [REDACTED, 'redacted'],
        [ORIGIN, 'origin'],
      ],
    )
    assert.equal(chain[2]?.vcon, origin)
    assert.deepEqual(s.asked, [REDACTED, ORIGIN])
    assert.equal(
      chain.some((e) => e.stop !== undefined || e.missing),
      false,
    )
  })

  test('a version the resolver cannot find ends the walk as missing; a sync resolver works too', async () => {
    const chain = await walkLineage(amended, (uuid) => (uuid === REDACTED ? redacted : undefined))
    assert.deepEqual(chain[2], { uuid: ORIGIN, relation: 'unknown', missing: true })
    assert.equal(chain.length, 3)
  })

  test('a cycle stops at the repeated uuid', async () => {
    const a: Vcon = { uuid: ORIGIN, amended: { uuid: REDACTED } }
    const b: Vcon = { uuid: REDACTED, redacted: { uuid: ORIGIN, type: 'PII Redaction' } }
    const s = store(a, b)
    const chain = await walkLineage(a, s.resolve)
    assert.deepEqual(
      chain.map((e) => [e.uuid, e.relation, e.stop]),
      [
        [ORIGIN, 'amended', undefined],
        [REDACTED, 'redacted', 'cycle'],
      ],
    )
    const self: Vcon = { uuid: ORIGIN, amended: { uuid: ORIGIN } }
    assert.equal((await walkLineage(self, () => self))[0]?.stop, 'cycle')
  })

  test('the depth limit stops a long chain; redacted {} is no reference; url is kept', async () => {
    const vcons: Vcon[] = Array.from({ length: 10 }, (_, i) => ({
      uuid: `00000000-0000-8000-8000-${String(i).padStart(12, '0')}`,
      ...(i === 0
        ? { redacted: {} as never }
        : {
            amended: {
              uuid: `00000000-0000-8000-8000-${String(i - 1).padStart(12, '0')}`,
              url: `https://store.example.com/${i - 1}`,
              content_hash: 'sha512-x',
            },
          }),
    }))
    const s = store(...vcons)
    const last = vcons[9] as Vcon
    const limited = await walkLineage(last, s.resolve, { maxDepth: 4 })
    assert.equal(limited.length, 4)
    assert.equal(limited[3]?.stop, 'depth')
    const full = await walkLineage(last, s.resolve)
    assert.equal(full.length, 10)
    assert.equal(full[9]?.relation, 'origin')
    assert.equal(full[1]?.url, 'https://store.example.com/8')
  })
})
