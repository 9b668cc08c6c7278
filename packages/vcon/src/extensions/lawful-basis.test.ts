import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, test } from 'node:test'
import {
  brief,
  copy,
  deepFreeze,
  errors,
  loadCorpus,
  runExtension,
} from '../../test/support/extension-harness.js'
import { lawfulBasisExtension, readLawfulBasis } from './lawful-basis.js'
import { lawfulBasisContentHash } from './lawful-basis-hash.js'

const AGENT_EXAMPLE =
  'real/vcon-dev+draft-howe-vcon-agent-session/examples/paired-agent-session.json'
const IETF_MEETING = 'real/vcon-dev+ietf-meeting-vcons/ietf111/ietf111_6lo_28963.vcon.json'

/** A minimal vCon around one lawful_basis attachment body. */
function withBody(body: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
    extensions: ['lawful_basis'],
    parties: [{ name: 'Alice' }],
    dialog: [
      { type: 'text', start: '2025-01-02T12:15:30Z', parties: [0], body: 'hi', encoding: 'none' },
    ],
    attachments: [
      {
        type: 'lawful_basis',
        purpose: 'lawful_basis',
        start: '2025-01-02T12:15:30Z',
        party: 0,
        dialog: 0,
        encoding: 'json',
        body,
        ...extra,
      },
    ],
  }
}

const GOOD_BODY = {
  lawful_basis: 'consent',
  expiration: '2026-01-02T12:00:00Z',
  purpose_grants: [
    { purpose: 'recording', granted: true, granted_at: '2025-01-02T12:15:30Z' },
    {
      purpose: 'sentiment_analysis',
      granted: false,
      granted_at: '2025-01-02T12:15:30Z',
      conditions: ['x'],
    },
  ],
  proof_mechanisms: [
    {
      proof_type: 'verbal_confirmation',
      timestamp: '2025-01-02T12:15:30Z',
      proof_data: { dialog_reference: 0, confirmation_text: 'Yes' },
    },
  ],
  terms_of_service: 'https://example.com/terms/v2024.1',
  status_interval: '30d',
  registry: { type: 'scitt', url: 'https://transparency.example.com/lawful_purpose/registry' },
}

describe('lawful_basis: real files', () => {
  test('the agent_session example (type "lawful_basis") has no lawful_basis issue', () => {
    const vcon = deepFreeze(loadCorpus(AGENT_EXAMPLE))
    assert.equal(lawfulBasisExtension.detect(vcon), true)
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, vcon)), [])
  })

  test('an IETF meeting vCon (purpose "lawful_basis", no type) has no lawful_basis issue', () => {
    const vcon = deepFreeze(loadCorpus(IETF_MEETING))
    assert.equal(lawfulBasisExtension.detect(vcon), true)
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, vcon)), [])
  })

  test('readLawfulBasis normalises the agent_session example', () => {
    const records = readLawfulBasis(loadCorpus(AGENT_EXAMPLE))
    assert.equal(records.length, 1)
    const [record] = records
    assert.deepEqual(
      { ...record, grants: record?.grants.map((g) => `${g.purpose}=${g.granted}`) },
      {
        attachment: 3,
        source: 'lawful_basis',
        basis: 'contract',
        expiration: null,
        grants: [
          'recording=true',
          'agent_session_recording=true',
          'agent_session_analysis=true',
          'agent_session_redistribution=false',
        ],
        party: 0,
        dialog: 0,
      },
    )
    assert.deepEqual(record?.grants[2]?.conditions, ['internal use only — no redistribution'])
    assert.equal(record?.grants[0]?.granted_at, '2026-05-14T15:20:00Z')
  })

  test('readLawfulBasis reads the purpose form and its expiry', () => {
    const records = readLawfulBasis(loadCorpus(IETF_MEETING))
    assert.deepEqual(
      records.map((r) => [r.attachment, r.basis, r.expiration, r.grants.length, r.party]),
      [[2, 'legitimate_interests', '2099-12-31T23:59:59+00:00', 5, undefined]],
    )
  })
})

describe('lawful_basis: detection and attachment shape', () => {
  test('detect looks at attachment type or purpose only', () => {
    assert.equal(lawfulBasisExtension.detect({ attachments: [{ purpose: 'lawful_basis' }] }), true)
    assert.equal(lawfulBasisExtension.detect({ attachments: [{ type: 'lawful_basis' }] }), true)
    assert.equal(lawfulBasisExtension.detect({ attachments: [{ purpose: 'tags' }] }), false)
    assert.equal(lawfulBasisExtension.detect({ attachments: 'lawful_basis' }), false)
    assert.equal(lawfulBasisExtension.detect({}), false)
  })

  test('a valid full body has no issue', () => {
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody(GOOD_BODY))), [])
  })

  test('a string body holding the JSON object is accepted (notes §g.5)', () => {
    const vcon = withBody(JSON.stringify(GOOD_BODY))
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, vcon)), [])
  })

  test('encoding must be json; the body must be an object', () => {
    assert.deepEqual(
      brief(runExtension(lawfulBasisExtension, withBody(GOOD_BODY, { encoding: 'none' }))),
      ['error extension-invalid /attachments/0/encoding'],
    )
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody('not json'))), [
      'error extension-invalid /attachments/0/body',
    ])
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody([1, 2]))), [
      'error extension-invalid /attachments/0/body',
    ])
  })

  test('a missing body is an error; a body by reference is a warning', () => {
    const noBody = withBody(undefined)
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, noBody)), [
      'error missing-field /attachments/0/body',
    ])
    const byUrl = withBody(undefined, {
      url: 'https://example.com/lb.json',
      content_hash: 'sha512-x',
      encoding: undefined,
    })
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, byUrl)), [
      'warning extension-invalid /attachments/0/url',
    ])
  })
})

describe('lawful_basis: body rules', () => {
  test('every required field and type is checked, with exact pointers', () => {
    const body = {
      lawful_basis: 'maybe',
      expiration: 'tomorrow',
      purpose_grants: [
        { purpose: 'recording', granted_at: '2025-01-02T12:15:30Z' },
        { purpose: '', granted: 'yes', granted_at: 5, conditions: [1, 'ok'] },
        'grant',
      ],
      terms_of_service: 'not a url',
      status_interval: 'monthly',
      registry: { type: 'scitt' },
      proof_mechanisms: [{ proof_type: 'handshake', timestamp: '2025-01-02T12:15:30Z' }],
      metadata: [],
    }
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody(body))), [
      'error extension-invalid /attachments/0/body/lawful_basis',
      'error bad-date /attachments/0/body/expiration',
      'error missing-field /attachments/0/body/purpose_grants/0/granted',
      'error empty-string /attachments/0/body/purpose_grants/1/purpose',
      'error wrong-type /attachments/0/body/purpose_grants/1/granted',
      'error wrong-type /attachments/0/body/purpose_grants/1/granted_at',
      'error wrong-type /attachments/0/body/purpose_grants/1/conditions/0',
      'error wrong-type /attachments/0/body/purpose_grants/2',
      'warning bad-url /attachments/0/body/terms_of_service',
      'warning extension-invalid /attachments/0/body/status_interval',
      'error missing-field /attachments/0/body/registry/url',
      'warning extension-invalid /attachments/0/body/proof_mechanisms/0/proof_type',
      'error missing-field /attachments/0/body/proof_mechanisms/0/proof_data',
      'error wrong-type /attachments/0/body/metadata',
    ])
  })

  test('the three required fields are reported when absent', () => {
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody({}))), [
      'error missing-field /attachments/0/body/lawful_basis',
      'error missing-field /attachments/0/body/expiration',
      'error missing-field /attachments/0/body/purpose_grants',
    ])
  })

  test('expiration null means indefinite; a zoneless date is an error only in strict mode', () => {
    const body = { ...GOOD_BODY, expiration: null }
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody(body))), [])
    const zoneless = { ...GOOD_BODY, expiration: '2026-01-02T12:00:00' }
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody(zoneless))), [
      'error bad-date /attachments/0/body/expiration',
    ])
    assert.deepEqual(
      brief(runExtension(lawfulBasisExtension, withBody(zoneless), { mode: 'lenient' })),
      ['warning bad-date /attachments/0/body/expiration'],
    )
  })

  test('ISO 8601 durations are accepted for status_interval', () => {
    const body = { ...GOOD_BODY, status_interval: 'P1M' }
    assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody(body))), [])
  })
})

describe('lawful_basis: content_hash', () => {
  test('the hash is the hex SHA-256 of the JCS form of the body without content_hash', () => {
    const body = { purpose_grants: [], lawful_basis: 'consent', expiration: null }
    const expected = createHash('sha256')
      .update('{"expiration":null,"lawful_basis":"consent","purpose_grants":[]}')
      .digest('hex')
    assert.deepEqual(lawfulBasisContentHash(body), {
      algorithm: 'sha-256',
      canonicalization: 'jcs',
      value: expected,
    })
    // An existing content_hash does not change the result.
    const sealed = {
      ...body,
      content_hash: { algorithm: 'sha-256', canonicalization: 'jcs', value: '00' },
    }
    assert.equal(lawfulBasisContentHash(sealed).value, expected)
  })

  test('a matching sha-256 or sha-3-256 hash passes, whatever the key order and hex case', () => {
    for (const algorithm of ['sha-256', 'sha-3-256'] as const) {
      const hash = lawfulBasisContentHash(GOOD_BODY, algorithm)
      const reordered = Object.fromEntries(Object.entries(GOOD_BODY).reverse())
      const body = { ...reordered, content_hash: { ...hash, value: hash.value.toUpperCase() } }
      assert.deepEqual(brief(runExtension(lawfulBasisExtension, withBody(body))), [], algorithm)
      // Also when the body is a JSON string.
      assert.deepEqual(
        brief(runExtension(lawfulBasisExtension, withBody(JSON.stringify(body)))),
        [],
      )
    }
  })

  test('a tampered body fails with lawful-basis-hash-mismatch', () => {
    const hash = lawfulBasisContentHash(GOOD_BODY)
    const tampered = copy({ ...GOOD_BODY, content_hash: hash })
    const grant = tampered.purpose_grants[1]
    if (grant !== undefined) grant.granted = true
    const issues = runExtension(lawfulBasisExtension, withBody(tampered))
    assert.deepEqual(brief(issues), [
      'error lawful-basis-hash-mismatch /attachments/0/body/content_hash/value',
    ])
    assert.match(issues[0]?.message ?? '', new RegExp(hash.value))
  })

  test('blake2b-256, unknown algorithms and other canonicalizations are reported as unchecked', () => {
    const cases: [Record<string, unknown>, string][] = [
      [
        { algorithm: 'blake2b-256', canonicalization: 'jcs', value: 'ab'.repeat(32) },
        'blake2b-256',
      ],
      [{ algorithm: 'md5', canonicalization: 'jcs', value: 'ab'.repeat(16) }, 'md5'],
      [{ algorithm: 'sha-256', canonicalization: 'c14n', value: 'ab'.repeat(32) }, 'c14n'],
    ]
    for (const [hash, needle] of cases) {
      const issues = runExtension(
        lawfulBasisExtension,
        withBody({ ...GOOD_BODY, content_hash: hash }),
      )
      assert.deepEqual(brief(issues), [
        'warning lawful-basis-hash-unchecked /attachments/0/body/content_hash',
      ])
      assert.match(issues[0]?.message ?? '', new RegExp(needle))
    }
  })

  test('a malformed content_hash object is an error', () => {
    const notHex = { algorithm: 'sha-256', canonicalization: 'jcs', value: 'xyz' }
    assert.deepEqual(
      brief(runExtension(lawfulBasisExtension, withBody({ ...GOOD_BODY, content_hash: notHex }))),
      ['error extension-invalid /attachments/0/body/content_hash/value'],
    )
    assert.deepEqual(
      brief(
        runExtension(
          lawfulBasisExtension,
          withBody({ ...GOOD_BODY, content_hash: { value: 'ab' } }),
        ),
      ),
      [
        'error missing-field /attachments/0/body/content_hash/algorithm',
        'error missing-field /attachments/0/body/content_hash/canonicalization',
      ],
    )
    assert.deepEqual(
      errors(
        runExtension(lawfulBasisExtension, withBody({ ...GOOD_BODY, content_hash: 'sha256-x' })),
      ),
      ['error wrong-type /attachments/0/body/content_hash'],
    )
  })
})
