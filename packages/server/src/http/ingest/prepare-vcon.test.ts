import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isVconError } from '@vconkit/vcon'
import { ServerError } from '../../errors/server-error.js'
import { prepareVcon } from './prepare-vcon.js'

const UUID = '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6'
const NOW = Date.parse('2025-06-01T00:00:00.000Z')
const options = { mode: 'lenient' as const, maxBytes: 1 << 20, now: () => NOW }
const vcon = {
  vcon: '0.4.0',
  uuid: UUID,
  created_at: '2025-03-01T10:00:00.000Z',
  subject: 'Refund',
  parties: [{ tel: 'tel:+1-555-0100', name: 'Ann' }],
}

test('a 0.4.0 vCon is stored as the exact text sent, and indexed', () => {
  const text = `  ${JSON.stringify(vcon, null, 4)}\n`
  const prepared = prepareVcon(text, options)
  assert.equal(prepared.form, 'unsigned')
  assert.equal(prepared.record.json, text)
  assert.equal(prepared.record.uuid, UUID)
  assert.equal(prepared.upgradedFrom, undefined)
  assert.deepEqual(prepared.record.index.tels, ['+15550100'])
  assert.equal(prepared.record.index.createdAt, '2025-03-01T10:00:00.000Z')
})

test('a legacy vCon is stored re-serialised after the upgrade, with upgradedFrom', () => {
  const text = JSON.stringify({ ...vcon, vcon: '0.0.1' })
  const prepared = prepareVcon(text, options)
  assert.equal(prepared.upgradedFrom, '0.0.1')
  assert.notEqual(prepared.record.json, text)
  assert.equal((JSON.parse(prepared.record.json) as { vcon: string }).vcon, '0.4.0')
})

test('strict mode refuses what lenient mode upgrades', () => {
  assert.throws(
    () => prepareVcon(JSON.stringify({ ...vcon, vcon: '0.0.1' }), { ...options, mode: 'strict' }),
    (e) => isVconError(e) && e.code === 'VCON_INVALID',
  )
})

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url')

test('a signed vCon is kept as sent under its uuid header and indexed from its payload', () => {
  const text = JSON.stringify({
    payload: b64(vcon),
    signatures: [{ protected: b64({ alg: 'ES256', uuid: UUID }), signature: 'c2ln' }],
  })
  const prepared = prepareVcon(text, options)
  assert.equal(prepared.form, 'signed')
  assert.equal(prepared.record.json, text)
  assert.equal(prepared.record.uuid, UUID)
  assert.deepEqual(prepared.record.index.names, ['ann'])
})

test('a signed vCon whose uuid header is missing, or differs from the payload, is refused', () => {
  const missing = JSON.stringify({
    payload: b64(vcon),
    signatures: [{ protected: b64({ alg: 'ES256' }), signature: 'c2ln' }],
  })
  assert.throws(
    () => prepareVcon(missing, options),
    (e) => e instanceof ServerError && e.code === 'BAD_REQUEST' && /no uuid header/.test(e.message),
  )
  const other = '11111111-2222-8333-8444-555555555555'
  const mismatch = JSON.stringify({
    payload: b64(vcon),
    signatures: [{ protected: b64({ alg: 'ES256', uuid: other }), signature: 'c2ln' }],
  })
  assert.throws(
    () => prepareVcon(mismatch, options),
    (e) => e instanceof ServerError && /differs/.test(e.message),
  )
})

test('an encrypted vCon is indexed by its uuid only, dated at ingest', () => {
  const text = JSON.stringify({
    unprotected: { uuid: UUID },
    recipients: [{ encrypted_key: 'a2V5' }],
    iv: 'aXY',
    ciphertext: 'Y2lwaGVy',
    tag: 'dGFn',
  })
  const prepared = prepareVcon(text, options)
  assert.equal(prepared.form, 'encrypted')
  assert.equal(prepared.record.index.createdAt, new Date(NOW).toISOString())
  assert.equal(prepared.record.index.text, '')
})
