import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { upgradeVcon } from './upgrade-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'

describe('0.0.2 → 0.3.0', () => {
  test('transfer-target and target-dialog get their snake_case names, one warning each', () => {
    const r = upgradeVcon({
      vcon: '0.0.2',
      uuid: UUID,
      dialog: [
        { type: 'recording' },
        {
          type: 'transfer',
          transferee: 0,
          transferor: 1,
          'transfer-target': 2,
          original: 0,
          'target-dialog': [0],
        },
      ],
    })
    assert.deepEqual((r.vcon.dialog as unknown[])[1], {
      type: 'transfer',
      transferee: 0,
      transferor: 1,
      transfer_target: 2,
      original: 0,
      target_dialog: [0],
    })
    const t = r.issues.find((i) => i.pointer === '/dialog/1/transfer-target')
    assert.equal(t?.code, 'renamed-field')
    assert.equal(t?.message, 'renamed transfer-target to transfer_target (0.0.2 name)')
    assert.equal(
      r.issues.find((i) => i.pointer === '/dialog/1/target-dialog')?.code,
      'renamed-field',
    )
  })

  test('the new name wins when both are present', () => {
    const r = upgradeVcon({
      vcon: '0.0.2',
      uuid: UUID,
      dialog: [{ type: 'transfer', transfer_target: 3, 'transfer-target': 2 }],
    })
    assert.deepEqual(r.vcon.dialog, [{ type: 'transfer', transfer_target: 3 }])
    assert.match(
      r.issues.find((i) => i.pointer === '/dialog/0/transfer-target')?.message ?? '',
      /wins/,
    )
  })

  test('an inline prior vCon in redacted or appended is kept, with a warning', () => {
    const prior = JSON.stringify({ uuid: UUID, parties: [] })
    const r = upgradeVcon({
      vcon: '0.0.2',
      uuid: UUID,
      redacted: { uuid: UUID, type: 'PII', body: prior, encoding: 'json' },
    })
    assert.deepEqual(r.vcon.redacted, { uuid: UUID, type: 'PII', body: prior, encoding: 'json' })
    const found = r.issues.filter((i) => i.pointer === '/redacted/body')
    assert.equal(found.length, 1)
    assert.equal(found[0]?.code, 'kept-inline-reference')
    // Upgrading again reports nothing: the note belongs to the version step, not to every read.
    assert.deepEqual(upgradeVcon(r.vcon).issues, [])
  })

  test('pointers of later steps name the field as the input spelled it', () => {
    // core-01's -1 leg inside a 0.0.2-named field: the placeholder warning points at target-dialog.
    const r = upgradeVcon({
      vcon: '0.0.2',
      uuid: UUID,
      dialog: [{ type: 'recording' }, { type: 'transfer', 'target-dialog': [0, -1] }],
    })
    assert.deepEqual((r.vcon.dialog as unknown[])[1], { type: 'transfer', target_dialog: [0, 2] })
    const found = r.issues.find((i) => i.code === 'added-placeholder')
    assert.equal(found?.pointer, '/dialog/1/target-dialog/1')
  })
})
