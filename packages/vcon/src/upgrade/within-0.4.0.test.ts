import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { upgradeVcon } from './upgrade-vcon.js'
import { assumeUtc } from './zoneless-date.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const Z = '2024-01-01T10:00:00.000Z'

function codesAt(r: ReturnType<typeof upgradeVcon>, pointer: string): string[] {
  return r.issues.filter((i) => i.pointer === pointer).map((i) => i.code)
}

describe('within 0.4.0: core-01 shapes', () => {
  test('dtmfdown/dtmfup + dtmf become keydown/keyup + button', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      dialog: [
        {
          type: 'recording',
          party_history: [
            { party: 0, time: Z, event: 'dtmfdown', dtmf: '5' },
            { party: 0, time: Z, event: 'dtmfup', dtmf: 5 },
            { party: 1, time: Z, event: 'join' },
          ],
        },
      ],
    })
    const history = (r.vcon.dialog as Record<string, unknown>[])[0]?.party_history
    assert.deepEqual(history, [
      { party: 0, time: Z, event: 'keydown', button: '5' },
      { party: 0, time: Z, event: 'keyup', button: '5' },
      { party: 1, time: Z, event: 'join' },
    ])
    assert.deepEqual(codesAt(r, '/dialog/0/party_history/0/event'), ['repaired-value'])
    assert.deepEqual(codesAt(r, '/dialog/0/party_history/0/dtmf'), ['renamed-field'])
    assert.deepEqual(codesAt(r, '/dialog/0/party_history/1/event'), ['repaired-value'])
    // The numeric button is reported where the input had it: under its old name.
    assert.deepEqual(codesAt(r, '/dialog/0/party_history/1/dtmf'), [
      'renamed-field',
      'repaired-value',
    ])
    assert.equal(
      r.issues.find((i) => i.pointer === '/dialog/0/party_history/0/event')?.message,
      'replaced event "dtmfdown" with "keydown" (core-01 name)',
    )
  })

  test('null session_id placeholders inside arrays become {}; a null session_id is dropped', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      dialog: [
        { type: 'recording', parties: [0, 1], session_id: [{ local: 'a', remote: 'b' }, null] },
        { type: 'recording', session_id: null },
      ],
    })
    const dialogs = r.vcon.dialog as Record<string, unknown>[]
    assert.deepEqual(dialogs[0]?.session_id, [{ local: 'a', remote: 'b' }, {}])
    assert.equal(Object.hasOwn(dialogs[1] ?? {}, 'session_id'), false)
    assert.deepEqual(codesAt(r, '/dialog/0/session_id/1'), ['repaired-value'])
    assert.deepEqual(codesAt(r, '/dialog/1/session_id'), ['dropped-empty'])
  })

  test('a -1 transfer leg becomes the index of a new empty dialog, one per -1', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      dialog: [
        { type: 'recording' },
        {
          type: 'transfer',
          transferee: 0,
          transferor: 1,
          original: 0,
          consultation: -1,
          target_dialog: [-1, 0],
        },
      ],
    })
    const dialogs = r.vcon.dialog as Record<string, unknown>[]
    assert.equal(dialogs.length, 4)
    assert.deepEqual(dialogs[2], {})
    assert.deepEqual(dialogs[3], {})
    assert.equal(dialogs[1]?.consultation, 2)
    assert.deepEqual(dialogs[1]?.target_dialog, [3, 0])
    assert.deepEqual(codesAt(r, '/dialog/1/consultation'), ['added-placeholder'])
    assert.deepEqual(codesAt(r, '/dialog/1/target_dialog/0'), ['added-placeholder'])
  })

  test('group: [] is dropped; a non-empty group is kept, with a reserved note only when relabelled', () => {
    const empty = upgradeVcon({ vcon: '0.4.0', uuid: UUID, group: [] })
    assert.equal(Object.hasOwn(empty.vcon, 'group'), false)
    assert.deepEqual(codesAt(empty, '/group'), ['dropped-empty'])
    const group = [{ uuid: UUID }]
    const legacy = upgradeVcon({ vcon: '0.0.2', uuid: UUID, group })
    assert.deepEqual(legacy.vcon.group, group)
    assert.deepEqual(codesAt(legacy, '/group'), ['reserved-field'])
    const current = upgradeVcon({ vcon: '0.4.0', uuid: UUID, group })
    assert.deepEqual(current.vcon.group, group)
    assert.deepEqual(current.issues, [])
  })
})

describe('within 0.4.0: non-spec legacy shapes', () => {
  test('attachment type becomes purpose when purpose is absent', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      attachments: [
        { type: 'tags', body: ['a'], encoding: 'json' },
        { type: 'note', purpose: 'kept', body: 'x', encoding: 'none' },
      ],
    })
    const attachments = r.vcon.attachments as Record<string, unknown>[]
    assert.deepEqual(attachments[0], { purpose: 'tags', body: ['a'], encoding: 'json' })
    assert.deepEqual(attachments[1], { type: 'note', purpose: 'kept', body: 'x', encoding: 'none' })
    assert.deepEqual(codesAt(r, '/attachments/0/type'), ['renamed-field'])
    assert.equal(r.issues.length, 1)
  })

  test('lawful_basis ends up with both type and purpose', () => {
    const body = { lawful_basis: 'consent', expiration: null, purpose_grants: [] }
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      attachments: [
        { type: 'lawful_basis', body, encoding: 'json' },
        { purpose: 'lawful_basis', body, encoding: 'json' },
        { type: 'lawful_basis', purpose: 'lawful_basis', body, encoding: 'json' },
      ],
    })
    for (const a of r.vcon.attachments as Record<string, unknown>[]) {
      assert.equal(a.type, 'lawful_basis')
      assert.equal(a.purpose, 'lawful_basis')
    }
    assert.deepEqual(codesAt(r, '/attachments/0/purpose'), ['repaired-value'])
    assert.deepEqual(codesAt(r, '/attachments/1/type'), ['repaired-value'])
    assert.equal(r.issues.length, 2)
  })

  test('schema_version becomes schema on analysis and attachments', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      analysis: [{ type: 'transcript', vendor: 'v', schema_version: 'wtf-1.0' }],
      attachments: [{ purpose: 'p', schema_version: '2' }],
    })
    assert.deepEqual(r.vcon.analysis, [{ type: 'transcript', vendor: 'v', schema: 'wtf-1.0' }])
    assert.deepEqual(r.vcon.attachments, [{ purpose: 'p', schema: '2' }])
    assert.deepEqual(codesAt(r, '/analysis/0/schema_version'), ['renamed-field'])
    assert.deepEqual(codesAt(r, '/attachments/0/schema_version'), ['renamed-field'])
  })

  test('zone-less dates are read as UTC', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      created_at: '2024-03-16T16:09:20.701906',
      updated_at: '2024-03-16 16:09',
      dialog: [
        {
          type: 'recording',
          start: '2024-03-16T16:09:20',
          party_history: [{ party: 0, event: 'join', time: '2024-03-16T16:09:21' }],
        },
      ],
      attachments: [{ purpose: 'p', start: '2024-03-16T16:09:22' }],
    })
    assert.equal(r.vcon.created_at, '2024-03-16T16:09:20.701906Z')
    assert.equal(r.vcon.updated_at, '2024-03-16 16:09:00Z')
    const dialog = (r.vcon.dialog as Record<string, unknown>[])[0] ?? {}
    assert.equal(dialog.start, '2024-03-16T16:09:20Z')
    assert.deepEqual(dialog.party_history, [
      { party: 0, event: 'join', time: '2024-03-16T16:09:21Z' },
    ])
    assert.equal(
      (r.vcon.attachments as Record<string, unknown>[])[0]?.start,
      '2024-03-16T16:09:22Z',
    )
    for (const p of [
      '/created_at',
      '/updated_at',
      '/dialog/0/start',
      '/dialog/0/party_history/0/time',
      '/attachments/0/start',
    ]) {
      assert.deepEqual(codesAt(r, p), ['assumed-utc'], p)
    }
  })

  test('assumeUtc leaves zoned, invalid and non-string values alone', () => {
    assert.equal(assumeUtc('2024-01-01T00:00:00-05:00'), undefined)
    assert.equal(assumeUtc('2024-13-01T00:00:00'), undefined)
    assert.equal(assumeUtc('yesterday'), undefined)
    assert.equal(assumeUtc(17), undefined)
    assert.equal(assumeUtc('2024-02-29T23:59:59.5'), '2024-02-29T23:59:59.5Z')
  })

  test('redacted: {}, subject: null and other empty top-level placeholders are dropped', () => {
    const r = upgradeVcon({
      vcon: '0.4.0',
      uuid: UUID,
      subject: null,
      redacted: {},
      amended: null,
      extensions: null,
      parties: null,
    })
    assert.deepEqual(r.vcon, { vcon: '0.4.0', uuid: UUID, parties: null })
    for (const p of ['/subject', '/redacted', '/amended', '/extensions']) {
      assert.deepEqual(codesAt(r, p), ['dropped-empty'], p)
    }
    assert.equal(r.issues.length, 4)
  })

  test('video dialogs and unknown fields are kept untouched, with no warning', () => {
    const input = {
      vcon: '0.4.0',
      uuid: UUID,
      parties: [{ name: 'A', role: 'chair', meta: { x: 1 } }],
      dialog: [{ type: 'video', url: 'https://x/v', meta: { a: 1 }, metadata: { b: 2 } }],
      jumps: [{ sequence: 1 }],
    }
    const r = upgradeVcon(input)
    assert.deepEqual(r.vcon, input)
    assert.deepEqual(r.issues, [])
    assert.equal(r.from, '0.4.0')
  })
})
