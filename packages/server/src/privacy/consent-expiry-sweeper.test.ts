import assert from 'node:assert/strict'
import { test } from 'node:test'
import { lawfulBasisAttachment, serializeVcon, type Vcon } from '@vconkit/vcon'
import Database from 'better-sqlite3'
import { createMemoryStore } from '../../test/support/memory-store.js'
import type { LifecycleInput } from '../ledger/lifecycle-recorder.js'
import { consentExpiries } from '../pipeline/privacy-gate.js'
import { deriveIndex } from '../store/derive-index.js'
import { createSqlitePrivacyState } from '../store/sqlite/sqlite-privacy-state.js'
import { sweepConsentExpiries } from './consent-expiry-sweeper.js'

const T0 = Date.parse('2025-03-01T10:00:00Z')
const HOUR = 3_600_000

function expiringVcon(uuid: string, expiration: string | null): Vcon {
  return {
    vcon: '0.4.0',
    uuid,
    created_at: new Date(T0).toISOString(),
    parties: [{ tel: '+15550100' }],
    attachments: [
      lawfulBasisAttachment({
        basis: 'consent',
        expiration,
        grants: [
          { purpose: 'transcription', granted: true },
          { purpose: 'marketing', granted: false },
        ],
        at: new Date(T0),
      }),
    ],
  }
}

test('consentExpiries lists the granting bases that lapse later, with their granted purposes', () => {
  const uuid = '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6'
  const later = new Date(T0 + HOUR).toISOString()
  assert.deepEqual(consentExpiries(uuid, expiringVcon(uuid, later), T0), [
    { vconUuid: uuid, attachment: 0, expiresAt: later, purposes: ['transcription'] },
  ])
  assert.deepEqual(consentExpiries(uuid, expiringVcon(uuid, null), T0), [])
  assert.deepEqual(consentExpiries(uuid, expiringVcon(uuid, later), T0 + 2 * HOUR), [])
})

test('the sweeper records each lapsed consent once, after the skew, and skips erased vCons', async () => {
  let now = T0
  const db = new Database(':memory:')
  const state = createSqlitePrivacyState(db)
  await state.migrate()
  const store = createMemoryStore(() => now)
  const kept = '0195e1c2-3b4a-8d5e-9f60-000000000001'
  const erased = '0195e1c2-3b4a-8d5e-9f60-000000000002'
  const expiresAt = new Date(T0 + HOUR).toISOString()
  for (const uuid of [kept, erased]) {
    const vcon = expiringVcon(uuid, expiresAt)
    await state.noteExpiries(consentExpiries(uuid, vcon, now))
    if (uuid === kept) {
      await store.put({
        uuid,
        json: serializeVcon(vcon),
        vcon,
        index: deriveIndex(vcon, () => now),
      })
    }
  }
  const events: LifecycleInput[] = []
  const deps = {
    state,
    store,
    lifecycle: { record: (e: LifecycleInput) => void events.push(e) },
    now: () => now,
  }

  now = T0 + HOUR + 60_000 // past the expiry, within the 5-minute skew
  assert.equal(await sweepConsentExpiries(deps), 0)
  now = T0 + HOUR + 6 * 60_000
  assert.equal(await sweepConsentExpiries(deps), 1)
  assert.deepEqual(events, [
    {
      event: 'vcon_consent_revoked',
      vconUuid: kept,
      reason: 'consent_expired',
      purposes: ['transcription'],
    },
  ])
  assert.equal(await sweepConsentExpiries(deps), 0, 'an expiry is recorded once')
  assert.deepEqual(await state.dueExpiries(new Date(now).toISOString(), 10), [])
  db.close()
})
