import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isLedgerError, type LedgerErrorCode } from '../errors/ledger-error.js'
import { toHex } from '../internal/bytes.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { verifySignedStatement } from '../statement/signed-statement.js'
import { createLifecycleEvent, lifecycleEventDigest, vconSubject } from './lifecycle-event.js'
import { checkEventBinding, createLifecycleStatement } from './lifecycle-statement.js'
import { assertNoPersonalData } from './personal-data-guard.js'
import { vconDigest } from './vcon-digest.js'
import { LIFECYCLE_EVENT_MEDIA_TYPE, LIFECYCLE_EVENTS } from './vocabulary.js'

const UUID = '0190E5A8-7C4B-8D2E-9F10-123456789ABC'
const vcon = {
  vcon: '0.4.0',
  uuid: UUID.toLowerCase(),
  created_at: '2026-05-04T10:00:00Z',
  parties: [{ tel: '+15551234567', name: 'Alice Example' }],
}
const code = (c: LedgerErrorCode) => (e: unknown) => isLedgerError(e) && e.code === c

describe('vconDigest', () => {
  test('is the SHA-256 of the RFC 8785 canonical JSON, independent of key order', () => {
    const jcs =
      '{"created_at":"2026-05-04T10:00:00Z","parties":[{"name":"Alice Example","tel":"+15551234567"}],"uuid":"0190e5a8-7c4b-8d2e-9f10-123456789abc","vcon":"0.4.0"}'
    assert.equal(vconDigest(vcon), createHash('sha256').update(jcs).digest('hex'))
    const reordered = {
      parties: vcon.parties,
      uuid: vcon.uuid,
      created_at: vcon.created_at,
      vcon: '0.4.0',
    }
    assert.equal(vconDigest(reordered), vconDigest(vcon))
    assert.throws(() => vconDigest({ x: Number.NaN }), code('LEDGER_BAD_ARGUMENT'))
  })
})

describe('createLifecycleEvent', () => {
  const created = createLifecycleEvent({
    event: 'vcon_created',
    vconUuid: UUID,
    vconHash: vconDigest(vcon),
    prev: null,
    occurredAt: '2026-05-04T12:00:00+02:00',
  })

  test('builds the document, its JCS digest and the urn:uuid subject', () => {
    assert.deepEqual(created.document, {
      event: 'vcon_created',
      vcon_uuid: '0190e5a8-7c4b-8d2e-9f10-123456789abc',
      vcon_hash: vconDigest(vcon),
      prev: null,
      occurred_at: '2026-05-04T10:00:00.000Z',
    })
    assert.equal(created.subject, 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc')
    const jcs = `{"event":"vcon_created","occurred_at":"2026-05-04T10:00:00.000Z","prev":null,"vcon_hash":"${vconDigest(vcon)}","vcon_uuid":"0190e5a8-7c4b-8d2e-9f10-123456789abc"}`
    assert.equal(created.digest, createHash('sha256').update(jcs).digest('hex'))
    assert.equal(toHex(created.payloadHash), created.digest)
    assert.equal(lifecycleEventDigest(created.document), created.digest)
  })

  test('chains: prev names the digest of the previous event; purposes are sorted and unique', () => {
    const next = createLifecycleEvent({
      event: 'vcon_consent_revoked',
      vconUuid: UUID,
      vconHash: vconDigest(vcon),
      prev: created.digest,
      purposes: ['transcription', 'ai_training', 'transcription'],
      reason: 'erasure_request',
      occurredAt: new Date('2026-05-05T00:00:00Z'),
    })
    assert.equal(next.document.prev, created.digest)
    assert.deepEqual(next.document.purposes, ['ai_training', 'transcription'])
    assert.equal(next.document.reason, 'erasure_request')
  })

  test('malformed inputs are LEDGER_EVENT_INVALID', () => {
    const base = {
      event: 'vcon_sent' as const,
      vconUuid: UUID,
      vconHash: vconDigest(vcon),
      prev: created.digest,
      occurredAt: new Date(0),
    }
    const bad: Record<string, unknown>[] = [
      { event: 'vcon_shared' },
      { vconUuid: 'not-a-uuid' },
      { vconHash: 'ABC' },
      { prev: 'x' },
      { occurredAt: 'yesterday' },
      { occurredAt: new Date(Number.NaN) },
      { event: 'vcon_created' },
      { event: 'vcon_consent_accepted' },
      { event: 'vcon_consent_accepted', purposes: [] },
    ]
    for (const change of bad) {
      assert.throws(
        () => createLifecycleEvent({ ...base, ...change } as never),
        code('LEDGER_EVENT_INVALID'),
        JSON.stringify(change),
      )
    }
  })

  test('every event name of the draft is accepted', () => {
    for (const event of LIFECYCLE_EVENTS) {
      const purposes = event.startsWith('vcon_consent') ? ['recording'] : undefined
      const e = createLifecycleEvent({
        event,
        vconUuid: UUID,
        vconHash: vconDigest(vcon),
        prev: event === 'vcon_created' ? null : created.digest,
        occurredAt: new Date(0),
        ...(purposes ? { purposes } : {}),
      })
      assert.equal(e.document.event, event)
    }
  })
})

describe('assertNoPersonalData', () => {
  const doc = {
    event: 'vcon_deleted',
    vcon_uuid: '0190e5a8-7c4b-8d2e-9f10-123456789abc',
    vcon_hash: 'a'.repeat(64),
    prev: 'b'.repeat(64),
    occurred_at: '2026-05-04T10:00:00.000Z',
    reason: 'retention_expired',
    purposes: ['analysis'],
  }
  const refused = (change: Record<string, unknown>, pattern: RegExp) =>
    assert.throws(
      () => assertNoPersonalData({ ...doc, ...change }),
      (e: unknown) =>
        isLedgerError(e) && e.code === 'LEDGER_PERSONAL_DATA' && pattern.test(e.message),
      JSON.stringify(change),
    )

  test('a well-formed document passes', () => {
    assertNoPersonalData(doc)
  })

  test('extra fields are refused, whatever they hold', () => {
    refused({ party_tel: '+15551234567' }, /not allowed/)
    refused({ recipient: 'acme' }, /not allowed/)
    refused({ note: '' }, /not allowed/)
  })

  test('phone numbers, e-mail addresses and names are refused in every field', () => {
    refused({ reason: '+1 (555) 123-4567' }, /phone number/)
    refused({ reason: 'tel-15551234567' }, /phone number/)
    refused({ purposes: ['analysis', 'alice@example.com'] }, /e-mail/)
    refused({ reason: 'Deleted at the request of Alice Example' }, /free text or a name/)
    refused({ reason: 'Alice' }, /free text or a name/)
    refused({ vcon_uuid: '+15551234567' }, /phone number/)
    refused({ vcon_hash: 'bob@example.org' }, /e-mail/)
    refused({ event: 'Alice Example' }, /free text or a name/)
    refused({ prev: 'Bob' }, /free text or a name/)
    refused({ occurred_at: 'Tuesday with Alice' }, /free text or a name/)
  })

  test('wrong shapes are refused', () => {
    refused({ purposes: [] }, /purposes/)
    refused({ purposes: 'analysis' }, /purposes/)
    refused({ purposes: Array.from({ length: 17 }, (_, i) => `p${i}`) }, /purposes/)
    refused({ reason: 42 }, /token/)
    refused({ reason: 'x'.repeat(41) }, /closed format/)
    refused({ prev: undefined }, /prev/)
    assert.throws(() => assertNoPersonalData([doc]), code('LEDGER_PERSONAL_DATA'))
    assert.throws(() => assertNoPersonalData(null), code('LEDGER_PERSONAL_DATA'))
    const { occurred_at: _, ...missing } = doc
    assert.throws(() => assertNoPersonalData(missing), code('LEDGER_PERSONAL_DATA'))
  })

  test('property: no reason with a space, an @ or six digits in a row gets through', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 60 }), (text) => {
        let accepted = true
        try {
          assertNoPersonalData({ ...doc, reason: text })
        } catch (e) {
          assert.ok(isLedgerError(e) && e.code === 'LEDGER_PERSONAL_DATA')
          accepted = false
        }
        if (accepted) {
          assert.ok(!/[\s@A-Z]/.test(text) && !/\d{6}/.test(text) && text.length <= 40, text)
        }
      }),
      { numRuns: 500 },
    )
  })
})

describe('lifecycle statements', () => {
  const key = generateSigningKey()
  const created = createLifecycleEvent({
    event: 'vcon_enhanced',
    vconUuid: UUID,
    vconHash: vconDigest(vcon),
    prev: 'c'.repeat(64),
    purposes: ['transcription'],
    occurredAt: new Date('2026-05-04T10:00:00Z'),
  })

  test('the statement commits to the event document, and the binding check accepts it', () => {
    const statement = createLifecycleStatement(created, {
      iss: 'https://issuer.example',
      key,
      iat: 1777888800,
    })
    const verified = verifySignedStatement(statement, {
      issuerKeys: [publicPart(key)],
      expectedPreimageContentType: LIFECYCLE_EVENT_MEDIA_TYPE,
    })
    assert.equal(verified.sub, vconSubject(UUID))
    assert.equal(toHex(verified.payloadHash), created.digest)
    const doc = checkEventBinding(JSON.parse(JSON.stringify(created.document)), verified, vcon)
    assert.equal(doc.event, 'vcon_enhanced')
  })

  test('the binding check refuses another document, another vCon snapshot or another subject', () => {
    const statement = createLifecycleStatement(created, {
      iss: 'https://issuer.example',
      key,
      iat: 1777888800,
    })
    const verified = verifySignedStatement(statement, { issuerKeys: [publicPart(key)] })
    const invalid = code('LEDGER_EVENT_INVALID')
    assert.throws(
      () => checkEventBinding({ ...created.document, purposes: ['analysis'] }, verified),
      invalid,
    )
    assert.throws(
      () => checkEventBinding(created.document, verified, { ...vcon, subject: 'changed' }),
      invalid,
    )
    assert.throws(
      () =>
        checkEventBinding(created.document, {
          ...verified,
          sub: 'urn:uuid:00000000-0000-0000-0000-000000000000',
        }),
      invalid,
    )
    assert.throws(
      () => checkEventBinding({ ...created.document, tel: '+15551234567' }, verified),
      code('LEDGER_PERSONAL_DATA'),
    )
  })

  test('a tampered created event is refused before signing', () => {
    const tampered = { ...created, document: { ...created.document, reason: 'Alice Example' } }
    assert.throws(
      () => createLifecycleStatement(tampered, { iss: 'https://issuer.example', key, iat: 0 }),
      code('LEDGER_PERSONAL_DATA'),
    )
    const mismatched = { ...created, payloadHash: new Uint8Array(32) }
    assert.throws(
      () => createLifecycleStatement(mismatched, { iss: 'https://issuer.example', key, iat: 0 }),
      code('LEDGER_BAD_ARGUMENT'),
    )
  })
})
