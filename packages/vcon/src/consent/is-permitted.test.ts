import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  allow,
  ask,
  deny,
  expect,
  HOUR,
  MIN,
  record,
  T,
  vconWith,
} from '../../test/support/consent-vcons.js'
import { isPermitted } from './is-permitted.js'

describe('isPermitted: granted and no-grant', () => {
  test('a grant for the purpose permits, naming the party and attachment', () => {
    const d = ask(vconWith(record({ party: 1 }, allow('recording'))), 'recording', 1)
    assert.deepEqual(d, {
      permitted: true,
      code: 'granted',
      reason: 'purpose "recording" is permitted for party 1 by attachment 0',
      attachments: [0],
      conditions: [],
    })
  })

  test('a grant of a broader purpose permits the narrower one, with every permitting grant’s conditions', () => {
    const vcon = vconWith(
      record({ party: 1 }, allow('tdm', { conditions: ['internal use only'] })),
      record({}, allow('ai', { conditions: ['no export', 'internal use only'] })),
    )
    const d = ask(vcon, 'genai', 1)
    assert.equal(d.code, 'granted')
    assert.deepEqual(d.attachments, [0, 1])
    assert.deepEqual([...d.conditions].sort(), ['internal use only', 'no export'])
    assert.equal(
      d.reason,
      'purpose "genai" is permitted for party 1 by attachments 0, 1 (grant of "tdm", "ai"), subject to 2 conditions',
    )
  })

  test('a grant of a narrower purpose does not permit the broader one', () => {
    expect(vconWith(record({}, allow('genai'))), { purpose: 'ai' }, 'no-grant', [0])
  })

  test('no grant for the purpose: no-grant, listing the records consulted', () => {
    const vcon = vconWith(record({ party: 1 }, allow('recording')), record({}, allow('storage')))
    const d = ask(vcon, 'transcription', 1)
    assert.equal(d.code, 'no-grant')
    assert.deepEqual(d.attachments, [0, 1])
    assert.match(d.reason, /none of attachments 0, 1 grants it/)
  })

  test('the lawful basis type alone permits nothing (lawful-basis-00 §6.4)', () => {
    for (const basis of ['contract', 'legal_obligation', 'legitimate_interests'] as const) {
      expect(vconWith(record({ basis })), { purpose: 'recording' }, 'no-grant')
    }
  })
})

describe('isPermitted: no-lawful-basis and party scope', () => {
  test('no attachments, or none about the party: no-lawful-basis', () => {
    expect(vconWith(), { purpose: 'recording', party: 0 }, 'no-lawful-basis', [])
    expect(
      vconWith({ purpose: 'tags', body: {}, encoding: 'json' }),
      { purpose: 'recording' },
      'no-lawful-basis',
    )
    expect(
      vconWith(record({ party: 2 }, allow('recording'))),
      { purpose: 'recording', party: 1 },
      'no-lawful-basis',
    )
  })

  test('a record without party covers every party', () => {
    const vcon = vconWith(record({}, allow('recording')))
    for (const party of [0, 1, 2, 7]) expect(vcon, { purpose: 'recording', party }, 'granted', [0])
  })

  test('a party-scoped record covers only its party', () => {
    const vcon = vconWith(
      record({ party: 0 }, allow('recording')),
      record({ party: 1 }, deny('recording')),
    )
    expect(vcon, { purpose: 'recording', party: 0 }, 'granted', [0])
    expect(vcon, { purpose: 'recording', party: 1 }, 'denied', [1])
  })

  test('without a party in the query every record counts, so one party’s denial refuses the whole vCon', () => {
    const vcon = vconWith(
      record({ party: 0 }, allow('recording')),
      record({ party: 1 }, deny('recording')),
    )
    expect(vcon, { purpose: 'recording' }, 'denied', [1])
    expect(
      vconWith(record({ party: 0 }, allow('recording'))),
      { purpose: 'recording' },
      'granted',
      [0],
    )
  })
})

describe('isPermitted: denials win', () => {
  test('a denial of a broader purpose denies the narrower one (deny "ai" → "genai" denied)', () => {
    const vcon = vconWith(
      record({}, allow('tdm')),
      record({ party: 0 }, allow('recording')),
      record({ party: 1 }, allow('genai')),
      record({ party: 1 }, deny('ai')),
    )
    const d = ask(vcon, 'genai', 1)
    assert.deepEqual(d, {
      permitted: false,
      code: 'denied',
      reason: 'purpose "genai" is denied for party 1 by attachment 3 (denial of "ai")',
      attachments: [3],
      conditions: [],
    })
    expect(vcon, { purpose: 'search', party: 1 }, 'granted', [0])
    expect(vcon, { purpose: 'genai', party: 0 }, 'granted', [0])
  })

  test('a denial reaches down transitively but never up', () => {
    const vcon = vconWith(record({}, allow('tdm'), deny('genai')))
    expect(vcon, { purpose: 'genai' }, 'denied')
    expect(vcon, { purpose: 'ai' }, 'granted')
    expect(vconWith(record({}, allow('genai'), deny('tdm'))), { purpose: 'genai' }, 'denied')
  })

  test('a denial in the same record as a grant, or in an expired or future record, still denies', () => {
    expect(
      vconWith(record({}, allow('marketing'), deny('marketing'))),
      { purpose: 'marketing' },
      'denied',
    )
    const expired = record({ expiration: new Date(T.getTime() - 48 * HOUR) }, deny('marketing'))
    expect(
      vconWith(record({}, allow('marketing')), expired),
      { purpose: 'marketing' },
      'denied',
      [1],
    )
    const later = record({}, deny('marketing', { granted_at: new Date(T.getTime() + 48 * HOUR) }))
    expect(vconWith(record({}, allow('marketing')), later), { purpose: 'marketing' }, 'denied', [1])
  })

  test('every denying record is named', () => {
    const vcon = vconWith(
      record({}, deny('ai')),
      record({ party: 1 }, deny('genai')),
      record({}, allow('tdm')),
    )
    const d = ask(vcon, 'genai', 1)
    assert.deepEqual(d.attachments, [0, 1])
    assert.equal(
      d.reason,
      'purpose "genai" is denied for party 1 by attachments 0, 1 (denial of "ai", "genai")',
    )
  })
})

describe('isPermitted: expiry and granted_at with the 5-minute skew', () => {
  test('expiration: permitted up to 5 minutes after it, expired 1 ms later', () => {
    const vcon = vconWith(record({ expiration: T }, allow('recording')))
    expect(vcon, { purpose: 'recording', at: T.getTime() - HOUR }, 'granted')
    expect(vcon, { purpose: 'recording', at: T.getTime() + 5 * MIN }, 'granted')
    expect(vcon, { purpose: 'recording', at: T.getTime() + 5 * MIN + 1 }, 'expired', [0])
    const d = ask(vcon, 'recording', 0, T.getTime() + HOUR)
    assert.equal(
      d.reason,
      'purpose "recording" is not permitted for party 0: the grant in attachment 0 expired',
    )
  })

  test('granted_at: permitted from 5 minutes before it, not yet 1 ms earlier', () => {
    const vcon = vconWith(record({}, allow('recording', { granted_at: T })))
    expect(vcon, { purpose: 'recording', at: T.getTime() - 5 * MIN }, 'granted')
    expect(vcon, { purpose: 'recording', at: T.getTime() - 5 * MIN - 1 }, 'not-yet-granted', [0])
    expect(vcon, { purpose: 'recording', at: T.getTime() + 365 * 24 * HOUR }, 'granted', [0])
  })

  test('skewMs changes the tolerance; 0 means none', () => {
    const vcon = vconWith(record({ expiration: T }, allow('recording')))
    const at = T.getTime() + 1
    assert.equal(isPermitted(vcon, { purpose: 'recording', at }, { skewMs: 0 }).code, 'expired')
    assert.equal(isPermitted(vcon, { purpose: 'recording', at: T }, { skewMs: 0 }).code, 'granted')
    assert.equal(
      isPermitted(vcon, { purpose: 'recording', at: at + HOUR }, { skewMs: 2 * HOUR }).code,
      'granted',
    )
  })

  test('one current grant permits even when another has expired; expired beats not-yet', () => {
    const old = record({ expiration: new Date(T.getTime() - HOUR) }, allow('recording'))
    const current = record({}, allow('recording'))
    expect(vconWith(old, current), { purpose: 'recording' }, 'granted', [1])
    const future = record({}, allow('recording', { granted_at: new Date(T.getTime() + HOUR) }))
    expect(vconWith(old, future), { purpose: 'recording' }, 'expired', [0])
    expect(vconWith(future), { purpose: 'recording' }, 'not-yet-granted', [0])
  })

  test('`at` may be a Date, milliseconds or an RFC 3339 string, and defaults to now', () => {
    const vcon = vconWith(record({ expiration: T }, allow('recording')))
    assert.equal(
      isPermitted(vcon, { purpose: 'recording', at: '2025-06-01T12:04:00+00:00' }).code,
      'granted',
    )
    assert.equal(
      isPermitted(vcon, { purpose: 'recording', at: '2025-06-01T14:00:00+02:00' }).code,
      'granted',
    )
    assert.equal(
      isPermitted(vcon, { purpose: 'recording', at: '2025-06-01T12:06:00Z' }).code,
      'expired',
    )
    assert.equal(
      isPermitted(vcon, { purpose: 'recording' }).code,
      'expired',
      'now is after 2025-06-01',
    )
    const open = vconWith(record({ expiration: new Date(Date.now() + HOUR) }, allow('recording')))
    assert.equal(isPermitted(open, { purpose: 'recording' }).code, 'granted')
  })
})
