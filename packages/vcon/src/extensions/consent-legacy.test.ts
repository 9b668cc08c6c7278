import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { brief, deepFreeze, runExtension } from '../../test/support/extension-harness.js'
import { consentExtension } from './consent-legacy.js'
import { readLawfulBasis } from './lawful-basis.js'

function vconWith(...attachments: unknown[]): Record<string, unknown> {
  return {
    uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
    parties: [{ name: 'Alice' }, { name: 'Bob' }],
    dialog: [
      {
        type: 'text',
        start: '2025-01-02T12:15:30Z',
        parties: [0, 1],
        body: 'hi',
        encoding: 'none',
      },
    ],
    attachments,
  }
}

/** consent-00 §21.2: fields at the attachment's top level, consents as {purpose, status, timestamp}. */
const TOP_LEVEL = {
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
    { purpose: 'analysis', status: 'revoked', timestamp: '2025-01-03T10:30:00Z' },
  ],
  proof: [{ type: 'verbal_confirmation', timestamp: '2025-01-02T12:15:30Z' }],
}

/** consent-00 §16 example, placed in a JSON body: consents as {consent, value}, status_interval "30d". */
const IN_BODY = {
  purpose: 'consent',
  start: '2025-01-02T12:15:30Z',
  party: 1,
  dialog: 0,
  encoding: 'json',
  body: {
    expiration: null,
    terms_of_service: 'https://example.com/terms',
    party: 1,
    dialog: 0,
    status_interval: '30d',
    consent_ledger: 'https://ledger.example.com/consent/123',
    proof: [{ url: 'https://example.com/consent-form.pdf', type: 'external_asset' }],
    consents: [
      { value: true, consent: 'recording' },
      { value: false, consent: 'transcription' },
    ],
  },
}

describe('consent-00 (read-only)', () => {
  test('module flags: read-only, no token, never critical', () => {
    assert.equal(consentExtension.name, 'consent')
    assert.equal(consentExtension.readOnly, true)
    assert.equal(consentExtension.mayBeCritical, false)
  })

  test('detect by attachment type or purpose "consent"', () => {
    assert.equal(consentExtension.detect(vconWith(TOP_LEVEL)), true)
    assert.equal(consentExtension.detect(vconWith(IN_BODY)), true)
    assert.equal(consentExtension.detect(vconWith({ purpose: 'lawful_basis' })), false)
    assert.equal(consentExtension.detect({ attachments: {} }), false)
  })

  test('both draft shapes validate with only the superseded notice', () => {
    const vcon = deepFreeze(vconWith(TOP_LEVEL, IN_BODY))
    assert.deepEqual(brief(runExtension(consentExtension, vcon)), [
      'warning superseded-extension /attachments/0',
      'warning superseded-extension /attachments/1',
    ])
  })

  test('a string JSON body is read like a native one', () => {
    const vcon = vconWith({ ...IN_BODY, body: JSON.stringify(IN_BODY.body) })
    assert.deepEqual(brief(runExtension(consentExtension, vcon)), [
      'warning superseded-extension /attachments/0',
    ])
  })

  test('breaches are errors in strict mode and warnings in lenient mode', () => {
    const bad = {
      type: 'consent',
      party: 0,
      dialog: 0,
      expiration: 'soon',
      status_interval: -5,
      terms_of_service: 7,
      consents: [
        { purpose: 'recording', status: 'maybe' },
        { consent: 'analysis' },
        { note: 'no purpose' },
        'x',
      ],
    }
    const expected = [
      'bad-date /attachments/0/expiration',
      'extension-invalid /attachments/0/consents/0/status',
      'missing-field /attachments/0/consents/1/value',
      'extension-invalid /attachments/0/consents/2',
      'wrong-type /attachments/0/consents/3',
      'wrong-type /attachments/0/status_interval',
      'wrong-type /attachments/0/terms_of_service',
    ]
    assert.deepEqual(brief(runExtension(consentExtension, vconWith(bad))), [
      'warning superseded-extension /attachments/0',
      ...expected.map((e) => `error ${e}`),
    ])
    assert.deepEqual(brief(runExtension(consentExtension, vconWith(bad), { mode: 'lenient' })), [
      'warning superseded-extension /attachments/0',
      ...expected.map((e) => `warning ${e}`),
    ])
  })

  test('missing required fields; party and dialog copies in the body are range-checked', () => {
    const vcon = vconWith({
      purpose: 'consent',
      encoding: 'json',
      body: { expiration: null, party: 5, dialog: 0 },
    })
    assert.deepEqual(brief(runExtension(consentExtension, vcon)), [
      'warning superseded-extension /attachments/0',
      'error party-index-out-of-range /attachments/0/body/party',
      'error missing-field /attachments/0/body/consents',
    ])
    const top = vconWith({ type: 'consent', party: 0, dialog: 0 })
    assert.deepEqual(brief(runExtension(consentExtension, top)), [
      'warning superseded-extension /attachments/0',
      'error missing-field /attachments/0/expiration',
      'error missing-field /attachments/0/consents',
    ])
  })

  test('readLawfulBasis maps consent-00 onto the lawful_basis model', () => {
    const records = readLawfulBasis(vconWith(TOP_LEVEL, { purpose: 'tags' }, IN_BODY))
    assert.deepEqual(records, [
      {
        attachment: 0,
        source: 'consent',
        basis: 'consent',
        expiration: '2026-01-02T12:00:00Z',
        grants: [
          {
            purpose: 'recording',
            granted: true,
            granted_at: '2025-01-02T12:15:30Z',
            conditions: [],
          },
          { purpose: 'genai', granted: false, granted_at: '2025-01-02T12:15:30Z', conditions: [] },
          {
            purpose: 'analysis',
            granted: false,
            granted_at: '2025-01-03T10:30:00Z',
            conditions: [],
          },
        ],
        party: 0,
        dialog: 0,
      },
      {
        attachment: 2,
        source: 'consent',
        basis: 'consent',
        expiration: null,
        grants: [
          { purpose: 'recording', granted: true, granted_at: undefined, conditions: [] },
          { purpose: 'transcription', granted: false, granted_at: undefined, conditions: [] },
        ],
        party: 1,
        dialog: 0,
      },
    ])
  })

  test('readLawfulBasis leaves malformed grants out and marks a bad expiry as unknown', () => {
    const vcon = vconWith({
      type: 'consent',
      expiration: 'never',
      consents: [
        { purpose: 'x' },
        { consent: 'y', value: 'yes' },
        { purpose: 'z', status: 'expired' },
      ],
    })
    const [record] = readLawfulBasis(vcon)
    assert.equal(record?.expiration, undefined)
    assert.equal(record?.party, undefined)
    assert.deepEqual(
      record?.grants.map((g) => [g.purpose, g.granted]),
      [['z', false]],
    )
  })
})
