import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  allow,
  ask,
  deny,
  expect,
  raw,
  record,
  vconWith,
} from '../../test/support/consent-vcons.js'
import { lawfulBasisContentHash } from '../extensions/lawful-basis-hash.js'

describe('isPermitted: integrity (lawful-basis-00 §6.1)', () => {
  test('editing a sealed body after the fact: hash-mismatch', () => {
    const sealed = record({ party: 1 }, allow('recording'), deny('marketing')) as Record<
      string,
      unknown
    >
    const body = structuredClone(sealed.body) as { purpose_grants: { granted: boolean }[] }
    const second = body.purpose_grants[1]
    assert.ok(second !== undefined)
    second.granted = true
    const vcon = vconWith({ ...sealed, body })
    const d = ask(vcon, 'marketing', 1)
    assert.equal(d.code, 'hash-mismatch')
    assert.deepEqual(d.attachments, [0])
    assert.equal(
      d.reason,
      'purpose "marketing" is refused for party 1: the content_hash of attachment 0 does not match its body (lawful-basis-00 §6.1)',
    )
    expect(vcon, { purpose: 'recording', party: 1 }, 'hash-mismatch', [0])
    expect(vconWith({ ...sealed, body }), { purpose: 'recording', party: 0 }, 'no-lawful-basis')
  })

  test('a mismatched record refuses even when another record grants', () => {
    const sealed = record({}, allow('recording')) as Record<string, unknown>
    const tampered = {
      ...sealed,
      body: { ...(sealed.body as object), expiration: '2099-01-01T00:00:00Z' },
    }
    expect(
      vconWith(record({}, allow('recording')), tampered),
      { purpose: 'recording' },
      'hash-mismatch',
      [1],
    )
  })

  test('a body with no content_hash is accepted unsealed; a hash that matches is accepted', () => {
    const body = {
      lawful_basis: 'consent',
      expiration: null,
      purpose_grants: [{ purpose: 'recording', granted: true }],
    }
    expect(vconWith(raw(body)), { purpose: 'recording' }, 'granted')
    const sealed = { ...body, content_hash: lawfulBasisContentHash(body, 'sha-3-256') }
    expect(vconWith(raw(sealed)), { purpose: 'recording' }, 'granted')
    // JSON-in-a-string bodies (notes §g.5) are read and checked the same way.
    expect(vconWith(raw(JSON.stringify(sealed))), { purpose: 'recording' }, 'granted')
  })
})

describe('isPermitted: unusable records cannot grant', () => {
  const grants = [{ purpose: 'recording', granted: true, granted_at: '2025-01-01T00:00:00Z' }]
  const cases: [string, Record<string, unknown>, RegExp][] = [
    [
      'missing expiration',
      raw({ lawful_basis: 'consent', purpose_grants: grants }),
      /expiration is missing/,
    ],
    [
      'malformed expiration',
      raw({ lawful_basis: 'consent', expiration: 'next year', purpose_grants: grants }),
      /expiration is missing or malformed/,
    ],
    [
      'a content_hash this library cannot compute',
      raw({
        lawful_basis: 'consent',
        expiration: null,
        purpose_grants: grants,
        content_hash: { algorithm: 'blake2b-256', canonicalization: 'jcs', value: 'ab' },
      }),
      /content_hash cannot be verified/,
    ],
    [
      'a malformed content_hash',
      raw({
        lawful_basis: 'consent',
        expiration: null,
        purpose_grants: grants,
        content_hash: 'sha-256:ab',
      }),
      /content_hash cannot be verified/,
    ],
    [
      'a party that is not an index',
      raw({ lawful_basis: 'consent', expiration: null, purpose_grants: grants }, { party: '1' }),
      /party is not a party index/,
    ],
    [
      'an unknown lawful basis',
      raw({ lawful_basis: 'because', expiration: null, purpose_grants: grants }),
      /not a readable lawful basis/,
    ],
    ['no body', raw(undefined), /not a readable lawful basis/],
    [
      'a malformed granted_at',
      raw({
        lawful_basis: 'consent',
        expiration: null,
        purpose_grants: [{ purpose: 'recording', granted: true, granted_at: 'yesterday' }],
      }),
      /granted_at/,
    ],
  ]
  for (const [name, attachment, why] of cases) {
    test(`${name}: unusable-record`, () => {
      const d = ask(vconWith(attachment), 'recording', 1)
      assert.equal(d.code, 'unusable-record', d.reason)
      assert.equal(d.permitted, false)
      assert.deepEqual(d.attachments, [0])
      assert.match(d.reason, why)
      assert.match(
        d.reason,
        /^purpose "recording" is not permitted for party 1: attachment 0 cannot grant it/,
      )
    })
  }

  test('a usable grant elsewhere still permits; an unusable record’s denial still denies', () => {
    const broken = raw({ lawful_basis: 'consent', expiration: 'soon', purpose_grants: grants })
    expect(
      vconWith(broken, record({}, allow('recording'))),
      { purpose: 'recording' },
      'granted',
      [1],
    )
    const brokenDenial = raw({
      lawful_basis: 'withdrawn',
      purpose_grants: [{ purpose: 'ai', granted: false }],
    })
    expect(vconWith(record({}, allow('tdm')), brokenDenial), { purpose: 'genai' }, 'denied', [1])
  })

  test('a record with an unreadable party refuses for every party but grants for none', () => {
    const vcon = vconWith(
      raw(
        {
          lawful_basis: 'consent',
          expiration: null,
          purpose_grants: [
            { purpose: 'recording', granted: true, granted_at: '2025-01-01T00:00:00Z' },
            { purpose: 'marketing', granted: false, granted_at: '2025-01-01T00:00:00Z' },
          ],
        },
        { party: -1 },
      ),
    )
    expect(vcon, { purpose: 'marketing', party: 2 }, 'denied', [0])
    expect(vcon, { purpose: 'recording', party: 2 }, 'unusable-record', [0])
  })

  test('an unusable record that says nothing about the purpose leaves no-grant', () => {
    const vcon = vconWith(
      raw({ lawful_basis: 'consent', expiration: 'soon', purpose_grants: grants }),
    )
    expect(vcon, { purpose: 'marketing' }, 'no-grant', [0])
  })
})

describe('isPermitted: legacy consent-00 attachments (notes §e.2)', () => {
  test('top-level fields with {purpose, status}: granted, denied, revoked', () => {
    const vcon = vconWith({
      type: 'consent',
      start: '2025-01-02T12:15:30Z',
      expiration: '2026-01-02T12:00:00Z',
      party: 0,
      dialog: 0,
      consents: [
        { purpose: 'recording', status: 'granted', timestamp: '2025-01-02T12:15:30Z' },
        {
          purpose: 'genai',
          status: 'denied',
          vocabulary: 'ai-pref',
          timestamp: '2025-01-02T12:15:30Z',
        },
        {
          purpose: 'tdm',
          status: 'granted',
          vocabulary: 'ai-pref',
          timestamp: '2025-01-02T12:15:30Z',
        },
        { purpose: 'analysis', status: 'revoked', timestamp: '2025-01-03T10:30:00Z' },
      ],
    })
    expect(vcon, { purpose: 'recording', party: 0 }, 'granted', [0])
    expect(vcon, { purpose: 'genai', party: 0 }, 'denied', [0])
    expect(vcon, { purpose: 'search', party: 0 }, 'granted', [0])
    expect(vcon, { purpose: 'analytics', party: 0 }, 'denied', [0])
    expect(vcon, { purpose: 'recording', party: 1 }, 'no-lawful-basis')
    expect(
      vcon,
      { purpose: 'recording', party: 0, at: Date.parse('2026-01-03T00:00:00Z') },
      'expired',
    )
  })

  test('a JSON body with {consent, value} and a null expiration', () => {
    const vcon = vconWith({
      purpose: 'consent',
      party: 1,
      dialog: 0,
      encoding: 'json',
      body: {
        expiration: null,
        party: 1,
        dialog: 0,
        consents: [
          { consent: 'recording', value: true },
          { consent: 'transcription', value: false },
        ],
      },
    })
    expect(vcon, { purpose: 'recording', party: 1 }, 'granted', [0])
    expect(vcon, { purpose: 'transcription', party: 1 }, 'denied', [0])
    expect(vcon, { purpose: 'transcription', party: 0 }, 'no-lawful-basis')
  })
})
