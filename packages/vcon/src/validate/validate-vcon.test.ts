import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Issue, ValidationMode } from './issue.js'
import { validateVcon } from './validate-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const START = '2025-03-04T10:31:03Z'

function base(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    vcon: '0.4.0',
    uuid: UUID,
    created_at: START,
    parties: [
      { tel: '+12025550123', name: 'Alice', validation: 'none' },
      { mailto: 'bob@example.com' },
    ],
    ...extra,
  }
}

function text(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'text',
    start: START,
    parties: [0, 1],
    mediatype: 'text/plain',
    body: 'hello',
    encoding: 'none',
    ...extra,
  }
}

function issuesOf(vcon: unknown, mode: ValidationMode = 'strict'): Issue[] {
  return [...validateVcon(vcon, { mode }).issues]
}

function find(issues: Issue[], pointer: string, code?: string): Issue | undefined {
  return issues.find((i) => i.pointer === pointer && (code === undefined || i.code === code))
}

function errorsOf(vcon: unknown, mode: ValidationMode = 'strict'): string[] {
  return issuesOf(vcon, mode)
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.pointer} ${i.code}`)
}

describe('validateVcon: top level', () => {
  test('a minimal complete vCon is valid in strict mode with no errors', () => {
    const result = validateVcon(base({ dialog: [text()] }), { mode: 'strict' })
    assert.deepEqual(
      result.issues.filter((i) => i.severity === 'error'),
      [],
    )
    assert.equal(result.valid, true)
  })

  test('not an object', () => {
    for (const value of [null, 1, 'x', [], true]) {
      const r = validateVcon(value)
      assert.equal(r.valid, false)
      assert.equal(r.issues[0]?.code, 'wrong-type')
      assert.equal(r.issues[0]?.pointer, '')
    }
  })

  test('uuid is required and must be 8-4-4-4-12 hex', () => {
    const noUuid = base()
    delete noUuid.uuid
    assert.deepEqual(errorsOf(noUuid), ['/uuid missing-field'])
    assert.deepEqual(errorsOf(base({ uuid: 'not-a-uuid' })), ['/uuid bad-uuid'])
    const nonRfc = issuesOf(base({ uuid: '01234567-89ab-cdef-0123-456789abcdef' }))
    assert.equal(find(nonRfc, '/uuid', 'uuid-not-rfc')?.severity, 'warning')
  })

  test('created_at is an error in strict mode only; a zone is required', () => {
    const v = base()
    delete v.created_at
    assert.deepEqual(errorsOf(v, 'strict'), ['/created_at missing-field'])
    assert.deepEqual(errorsOf(v, 'lenient'), [])
    assert.deepEqual(errorsOf(base({ created_at: '2025-03-04T10:31:03' }), 'lenient'), [
      '/created_at bad-date',
    ])
    assert.deepEqual(errorsOf(base({ created_at: '2025-02-30T10:31:03Z' })), [
      '/created_at bad-date',
    ])
    assert.deepEqual(errorsOf(base({ created_at: '2024-02-29T10:31:03.123456-05:00' })), [])
  })

  test('a version other than 0.4.0 is an error in strict mode', () => {
    assert.deepEqual(errorsOf(base({ vcon: '0.0.1' })), ['/vcon version-not-current'])
  })

  test('redacted and amended are mutually exclusive; redacted needs a type in strict mode', () => {
    assert.deepEqual(
      errorsOf(base({ redacted: { uuid: UUID, type: 'PII' }, amended: { uuid: UUID } })),
      [' redacted-and-amended'],
    )
    assert.deepEqual(errorsOf(base({ redacted: {} })), ['/redacted/type missing-field'])
    assert.deepEqual(errorsOf(base({ redacted: {} }), 'lenient'), [])
    assert.deepEqual(
      errorsOf(base({ amended: { uuid: UUID, url: 'https://example.com/prior.vcon' } })),
      ['/amended/content_hash url-without-hash'],
    )
  })

  test('missing parties is only a warning', () => {
    const v = base()
    delete v.parties
    const issues = issuesOf(v)
    assert.equal(find(issues, '/parties', 'missing-parties')?.severity, 'warning')
    assert.equal(validateVcon(v, { mode: 'strict' }).valid, true)
  })

  test('arrays must be arrays', () => {
    assert.deepEqual(errorsOf(base({ dialog: {} })), ['/dialog wrong-type'])
    assert.deepEqual(errorsOf(base({ parties: 'x' })), ['/parties wrong-type'])
  })

  test('every problem is listed, not just the first', () => {
    const v = base({
      uuid: 'x',
      dialog: [text({ parties: [0, 7] }), { type: 'incomplete', start: START, parties: [0] }],
      attachments: [{ start: 'yesterday', party: 9, dialog: 0, body: 'x', encoding: 'none' }],
    })
    assert.deepEqual(errorsOf(v).sort(), [
      '/attachments/0/party party-index-out-of-range',
      '/attachments/0/start bad-date',
      '/dialog/0/parties/1 party-index-out-of-range',
      '/dialog/1/disposition disposition-required',
      '/uuid bad-uuid',
    ])
  })
})

describe('validateVcon: parties', () => {
  test('party fields are strings; civicaddress values are strings', () => {
    const v = base({ parties: [{ tel: 5 }, { civicaddress: { country: 'US', pc: 12345 } }, {}] })
    assert.deepEqual(errorsOf(v).sort(), [
      '/parties/0/tel wrong-type',
      '/parties/1/civicaddress/pc wrong-type',
    ])
  })

  test('a did must be a DID URI in strict mode; odd tel and type are warnings', () => {
    const v = base({ parties: [{ did: 'alice' }, { tel: 'call me', type: 'alien' }] })
    assert.deepEqual(errorsOf(v), ['/parties/0/did wrong-type'])
    const issues = issuesOf(v)
    assert.equal(find(issues, '/parties/1/tel')?.severity, 'warning')
    assert.equal(find(issues, '/parties/1/type', 'unknown-party-type')?.severity, 'warning')
  })
})

describe('validateVcon: the per-dialog-type matrix (notes §a.4)', () => {
  test('an empty {} dialog placeholder is legal', () => {
    assert.deepEqual(errorsOf(base({ dialog: [{}] })), [])
  })

  test('unknown dialog type: error in strict, warning in lenient', () => {
    const v = base({ dialog: [text({ type: 'video' })] })
    assert.deepEqual(errorsOf(v), ['/dialog/0/type unknown-dialog-type'])
    assert.deepEqual(errorsOf(v, 'lenient'), [])
  })

  test('incomplete: disposition MUST, from its enum; no content', () => {
    const ok = { type: 'incomplete', start: START, parties: [0, 1], disposition: 'busy' }
    assert.deepEqual(errorsOf(base({ dialog: [ok] })), [])
    assert.deepEqual(errorsOf(base({ dialog: [{ ...ok, disposition: 'bored' }] })), [
      '/dialog/0/disposition unknown-disposition',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [{ ...ok, body: 'x', encoding: 'none' }] })), [
      '/dialog/0/body content-not-allowed',
    ])
  })

  test('disposition on a recording is a warning', () => {
    const v = base({ dialog: [text({ disposition: 'busy' })] })
    assert.equal(
      find(issuesOf(v), '/dialog/0/disposition', 'disposition-unexpected')?.severity,
      'warning',
    )
    assert.equal(validateVcon(v, { mode: 'strict' }).valid, true)
  })

  test('transfer: no parties/originator/mediatype/filename/content; roles SHOULD be present', () => {
    const legs = [text(), text(), {}]
    const transfer = {
      type: 'transfer',
      start: START,
      transferee: 0,
      transferor: 1,
      transfer_target: 1,
      original: 0,
      target_dialog: 1,
      consultation: 2,
    }
    assert.deepEqual(errorsOf(base({ dialog: [...legs, transfer] })), [])
    assert.deepEqual(
      errorsOf(
        base({ dialog: [...legs, { ...transfer, parties: [0], mediatype: 'text/plain' }] }),
      ).sort(),
      ['/dialog/3/mediatype field-not-allowed', '/dialog/3/parties field-not-allowed'],
    )
    const partial = { type: 'transfer', start: START, transferee: 0 }
    const issues = issuesOf(base({ dialog: [partial] }))
    assert.equal(
      find(issues, '/dialog/0/transferor', 'transfer-field-missing')?.severity,
      'warning',
    )
    assert.equal(find(issues, '/dialog/0/original', 'transfer-field-missing')?.severity, 'warning')
  })

  test('transfer fields are not allowed on other types', () => {
    assert.deepEqual(errorsOf(base({ dialog: [text({ transferee: 0 })] })), [
      '/dialog/0/transferee field-not-allowed',
    ])
  })

  test('transfer legs point at existing dialogs of allowed types', () => {
    const set = { type: 'recording-set', start: START, parties: [0, 1], recordings: [] }
    const transfer = {
      type: 'transfer',
      start: START,
      transferee: 0,
      transferor: 1,
      transfer_target: 1,
      original: 0,
      target_dialog: 5,
    }
    const v = base({ dialog: [set, transfer] })
    assert.deepEqual(errorsOf(v), ['/dialog/1/target_dialog dialog-index-out-of-range'])
    assert.equal(find(issuesOf(v), '/dialog/1/original', 'wrong-target-type')?.severity, 'warning')
  })

  test('recording-set: recordings MUST; members are recordings that point back', () => {
    const rec = (set?: number) => ({
      type: 'recording',
      start: START,
      parties: [0],
      mediatype: 'audio/wav',
      url: 'https://example.com/a.wav',
      content_hash: `sha512-${'A'.repeat(86)}`,
      ...(set === undefined ? {} : { recording_set: set }),
    })
    const good = base({
      dialog: [
        { type: 'recording-set', start: START, parties: [0, 1], recordings: [1, 2] },
        rec(0),
        rec(0),
      ],
    })
    assert.deepEqual(issuesOf(good), [])
    assert.deepEqual(
      errorsOf(base({ dialog: [{ type: 'recording-set', start: START, parties: [0] }] })),
      ['/dialog/0/recordings recordings-required'],
    )
    const mismatch = base({
      dialog: [
        { type: 'recording-set', start: START, parties: [0], recordings: [1, 2] },
        rec(),
        text(),
      ],
    })
    assert.deepEqual(errorsOf(mismatch), ['/dialog/0/recordings/1 wrong-target-type'])
    assert.equal(
      find(issuesOf(mismatch), '/dialog/0/recordings/0', 'recording-set-mismatch')?.severity,
      'warning',
    )
    assert.deepEqual(errorsOf(base({ dialog: [rec(1), text()] })), [
      '/dialog/0/recording_set wrong-target-type',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [text({ recording_set: 0 })] })), [
      '/dialog/0/recording_set field-not-allowed',
      '/dialog/0/recording_set wrong-target-type',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [text({ recordings: [0] })] })), [
      '/dialog/0/recordings field-not-allowed',
      '/dialog/0/recordings/0 wrong-target-type',
    ])
  })

  test('recording and text SHOULD carry content; redacted ones may keep only content_hash', () => {
    const v = base({ dialog: [{ type: 'recording', start: START, parties: [0] }] })
    assert.equal(find(issuesOf(v), '/dialog/0', 'missing-content')?.severity, 'warning')
    const redacted = base({
      dialog: [
        { type: 'recording', start: START, parties: [0], content_hash: `sha512-${'A'.repeat(86)}` },
      ],
    })
    assert.equal(find(issuesOf(redacted), '/dialog/0', 'missing-content'), undefined)
  })

  test('multi-channel parties with null channels; nested index arrays', () => {
    assert.deepEqual(errorsOf(base({ dialog: [text({ parties: [0, null, [0, 1]] })] })), [])
    assert.deepEqual(errorsOf(base({ dialog: [text({ parties: [0, 'x', [1, -1]] })] })).sort(), [
      '/dialog/0/parties/1 wrong-type',
      '/dialog/0/parties/2/1 negative-number',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [text({ parties: [[0, 3]] })] })), [
      '/dialog/0/parties/0/1 party-index-out-of-range',
    ])
  })

  test('negative duration, negative originator', () => {
    assert.deepEqual(errorsOf(base({ dialog: [text({ duration: -30, originator: -1 })] })).sort(), [
      '/dialog/0/duration negative-number',
      '/dialog/0/originator negative-number',
    ])
  })

  test('party_history: events from the enum, button on keydown/keyup, party in range', () => {
    const history = [
      { party: 0, time: START, event: 'join' },
      { party: 1, time: START, event: 'keydown', button: '5' },
      { party: 1, time: START, event: 'keyup' },
      { party: 4, time: START, event: 'dtmfdown' },
      { party: 0, time: 'now', event: 'drop' },
    ]
    assert.deepEqual(errorsOf(base({ dialog: [text({ party_history: history })] })).sort(), [
      '/dialog/0/party_history/2/button button-required',
      '/dialog/0/party_history/3/event unknown-party-event',
      '/dialog/0/party_history/3/party party-index-out-of-range',
      '/dialog/0/party_history/4/time bad-date',
    ])
  })

  test('session_id: object or an array mirroring parties (RFC 7989 values, not hyphenated uuids)', () => {
    const sid = {
      local: 'ab30317f1a784dc48ff824d0d3715d86',
      remote: '00000000000000000000000000000000',
    }
    assert.deepEqual(issuesOf(base({ dialog: [text({ session_id: sid })] })), [])
    assert.deepEqual(issuesOf(base({ dialog: [text({ session_id: [sid, {}] })] })), [])
    const shape = issuesOf(base({ dialog: [text({ session_id: [sid] })] }))
    assert.equal(find(shape, '/dialog/0/session_id', 'session-id-shape')?.severity, 'warning')
    assert.deepEqual(errorsOf(base({ dialog: [text({ session_id: 'abc' })] })), [
      '/dialog/0/session_id wrong-type',
    ])
  })
})

describe('validateVcon: content (core draft §2.4.1, §2.4.2)', () => {
  test('encoding is required for a non-empty body in strict mode', () => {
    const v = base({ dialog: [text({ encoding: undefined })] })
    assert.deepEqual(errorsOf(v), ['/dialog/0/encoding missing-encoding'])
    assert.deepEqual(errorsOf(v, 'lenient'), [])
  })

  test('a non-string body needs encoding json; base64url alphabet is enforced', () => {
    assert.deepEqual(errorsOf(base({ dialog: [text({ body: { a: 1 } })] })), [
      '/dialog/0/body body-not-string',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [text({ body: { a: 1 }, encoding: 'json' })] })), [])
    assert.deepEqual(errorsOf(base({ dialog: [text({ body: 'aGk=', encoding: 'base64url' })] })), [
      '/dialog/0/body bad-base64url',
    ])
  })

  test('url must parse, should be https, and needs a content_hash', () => {
    const rec = (url: string, hash?: string) => ({
      type: 'recording',
      start: START,
      parties: [0],
      mediatype: 'audio/wav',
      url,
      ...(hash === undefined ? {} : { content_hash: hash }),
    })
    assert.deepEqual(errorsOf(base({ dialog: [rec('not-a-url')] }), 'lenient'), [
      '/dialog/0/url bad-url',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [rec('http://example.com/a.wav')] })).sort(), [
      '/dialog/0/url url-not-https',
      '/dialog/0/url url-without-hash',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [rec('http://example.com/a.wav')] }), 'lenient'), [])
    assert.deepEqual(errorsOf(base({ dialog: [rec('https://example.com/a.wav', 'sha512-abc')] })), [
      '/dialog/0/content_hash bad-content-hash',
    ])
    assert.deepEqual(errorsOf(base({ dialog: [rec('https://example.com/a.wav', 'sha256:abc')] })), [
      '/dialog/0/content_hash bad-content-hash',
    ])
    const unknownOnly = issuesOf(base({ dialog: [rec('https://example.com/a.wav', 'md5-abcd')] }))
    assert.equal(
      find(unknownOnly, '/dialog/0/content_hash', 'no-known-hash-algorithm')?.severity,
      'warning',
    )
  })

  test('inline dialog content needs a mediatype in strict mode', () => {
    assert.deepEqual(errorsOf(base({ dialog: [text({ mediatype: undefined })] })), [
      '/dialog/0/mediatype missing-mediatype',
    ])
  })
})

describe('validateVcon: analysis and attachments', () => {
  test('analysis: type MUST, vendor in strict, indices in range', () => {
    const v = base({
      dialog: [text()],
      analysis: [{ dialog: [0, 3], body: 'x', encoding: 'none' }, {}],
    })
    assert.deepEqual(errorsOf(v).sort(), [
      '/analysis/0/dialog/1 dialog-index-out-of-range',
      '/analysis/0/type missing-field',
      '/analysis/0/vendor missing-field',
    ])
    const withAttachment = base({
      analysis: [{ type: 'summary', vendor: 'x', attachment: 2, body: 's', encoding: 'none' }],
    })
    assert.deepEqual(errorsOf(withAttachment), [
      '/analysis/0/attachment attachment-index-out-of-range',
    ])
  })

  test('attachment: start, party and dialog are strict-mode requirements', () => {
    const v = base({ attachments: [{ purpose: 'tags', body: ['a:b'], encoding: 'json' }] })
    assert.deepEqual(errorsOf(v).sort(), [
      '/attachments/0/dialog missing-field',
      '/attachments/0/party missing-field',
      '/attachments/0/start missing-field',
    ])
    assert.deepEqual(errorsOf(v, 'lenient'), [])
  })
})

describe('validateVcon: extensions (core draft §2.5)', () => {
  test('an unsupported critical extension is refused with its own code', () => {
    const v = base({ extensions: ['x-secret'], critical: ['x-secret'] })
    assert.deepEqual(errorsOf(v, 'lenient'), ['/critical/0 critical-unsupported'])
  })

  test('must_support and must_understand are read as critical', () => {
    assert.deepEqual(errorsOf(base({ must_support: ['nope'] }), 'lenient'), [
      '/must_support/0 critical-unsupported',
    ])
    assert.deepEqual(errorsOf(base({ must_understand: ['nope'] }), 'lenient'), [
      '/must_understand/0 critical-unsupported',
    ])
  })

  test('a supported critical extension passes; one missing from extensions is a warning', () => {
    const v = base({ critical: ['agent_session'] })
    assert.deepEqual(errorsOf(v), [])
    assert.equal(
      find(issuesOf(v), '/critical/0', 'critical-not-in-extensions')?.severity,
      'warning',
    )
  })

  test('sip-signaling must not be critical', () => {
    const v = base({ extensions: ['sip-signaling'], critical: ['sip-signaling'] })
    assert.deepEqual(errorsOf(v), ['/critical/0 extension-invalid'])
  })
})

describe('validateVcon: robustness', () => {
  test('never throws, whatever the shape', () => {
    const weird: unknown[] = [
      base({ dialog: [null, 1, 'x', [], { type: 1, start: 2, parties: {}, party_history: {} }] }),
      base({ analysis: [null, { type: 'x', vendor: 'y', dialog: 'z', body: 1, encoding: 5 }] }),
      base({ attachments: [[], { party: 'x', dialog: {}, start: 5, url: 7, content_hash: [1] }] }),
      base({ extensions: 'x', critical: [1, null], redacted: 'x', amended: [] }),
      base({ parties: [null, 1, { civicaddress: 'x' }] }),
    ]
    for (const v of weird) {
      const r = validateVcon(v, { mode: 'strict' })
      assert.equal(r.valid, false)
      for (const issue of r.issues) assert.ok(issue.pointer === '' || issue.pointer.startsWith('/'))
    }
  })
})
