import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import {
  allow,
  ask,
  deny,
  expect,
  raw,
  record,
  T,
  vconWith,
} from '../../test/support/consent-vcons.js'
import { deepFreeze, loadCorpus } from '../../test/support/extension-harness.js'
import { isVconError } from '../errors/vcon-error.js'
import { isPermitted, type PermissionQuery } from './is-permitted.js'
import { createPurposeVocabulary } from './purposes.js'

describe('isPermitted: vocabulary', () => {
  test('a purpose outside the vocabulary: unknown-purpose, whatever the vCon says', () => {
    const vcon = vconWith(record({}, { purpose: 'publication', granted: true }))
    const d = ask(vcon, 'publication')
    assert.equal(d.code, 'unknown-purpose')
    assert.equal(d.permitted, false)
    assert.equal(
      d.reason,
      'purpose "publication" is not in the purpose vocabulary; use a standard purpose or configure it',
    )
    const vocabulary = createPurposeVocabulary(['publication'])
    assert.equal(
      isPermitted(vcon, { purpose: 'publication', at: T }, { vocabulary }).code,
      'granted',
    )
  })

  test('a configured narrower purpose inherits denials of its broader ones', () => {
    const vocabulary = createPurposeVocabulary([{ name: 'voice_clone', broader: ['genai'] }])
    const vcon = vconWith(record({}, allow('voice_clone'), deny('ai')))
    assert.equal(
      isPermitted(vcon, { purpose: 'voice_clone', at: T }, { vocabulary }).code,
      'denied',
    )
  })

  test('a long unknown purpose is cut short in the reason', () => {
    const d = ask(vconWith(), 'x'.repeat(500))
    assert.ok(d.reason.length < 160, d.reason)
  })
})

describe('isPermitted: real files', () => {
  test('IETF meeting vCon (legitimate_interests, purpose "lawful_basis")', () => {
    const vcon = deepFreeze(
      loadCorpus('real/vcon-dev+ietf-meeting-vcons/ietf111/ietf111_6lo_28963.vcon.json'),
    )
    const at = Date.parse('2026-04-01T00:00:00Z')
    expect(vcon, { purpose: 'recording', party: 1, at }, 'granted', [2])
    expect(vcon, { purpose: 'sentiment_analysis', at }, 'granted', [2])
    expect(vcon, { purpose: 'marketing', at }, 'no-grant', [2])
    expect(
      vcon,
      { purpose: 'recording', at: Date.parse('2026-03-01T00:00:00Z') },
      'not-yet-granted',
      [2],
    )
    const vocabulary = createPurposeVocabulary(['publication', 'archival'])
    assert.equal(isPermitted(vcon, { purpose: 'archival', at }, { vocabulary }).code, 'granted')
  })

  test('agent_session example: a contract basis with a denied redistribution', () => {
    const vcon = deepFreeze(
      loadCorpus('real/vcon-dev+draft-howe-vcon-agent-session/examples/paired-agent-session.json'),
    )
    const vocabulary = createPurposeVocabulary([
      'agent_session_analysis',
      { name: 'agent_session_redistribution', broader: ['sharing'] },
    ])
    const at = Date.parse('2026-06-01T00:00:00Z')
    const analysis = isPermitted(
      vcon,
      { purpose: 'agent_session_analysis', party: 0, at },
      { vocabulary },
    )
    assert.equal(analysis.code, 'granted')
    assert.deepEqual(analysis.conditions, ['internal use only — no redistribution'])
    assert.doesNotMatch(analysis.reason, /internal use/)
    const redistribution = { purpose: 'agent_session_redistribution', party: 0, at }
    assert.equal(isPermitted(vcon, redistribution, { vocabulary }).code, 'denied')
  })
})

describe('isPermitted: robustness', () => {
  test('never throws on malformed vCons', () => {
    const junk: unknown[] = [
      null,
      undefined,
      42,
      'vcon',
      [],
      {},
      { attachments: 'x' },
      { attachments: [null, 1, 'a', [], { type: 'lawful_basis' }, { type: 'consent' }] },
      { attachments: [{ type: 'lawful_basis', encoding: 'json', body: '{not json' }] },
      {
        attachments: [
          raw({
            lawful_basis: 'consent',
            expiration: null,
            purpose_grants: [null, 3, { purpose: 1 }],
          }),
        ],
      },
      { attachments: [raw({ lawful_basis: 'consent', expiration: null, purpose_grants: 'all' })] },
    ]
    for (const vcon of junk) {
      const d = isPermitted(vcon, { purpose: 'recording', party: 0, at: T })
      assert.equal(d.permitted, false)
    }
  })

  test('throws VconError for a bad query or options', () => {
    const vcon = vconWith()
    const bad: [PermissionQuery, RegExp][] = [
      [{ purpose: 5 as unknown as string }, /purpose/],
      [{ purpose: 'recording', party: -1 }, /party/],
      [{ purpose: 'recording', party: 1.5 }, /party/],
      [{ purpose: 'recording', party: '1' as unknown as number }, /party/],
      [{ purpose: 'recording', at: 'yesterday' }, /`at`/],
      [{ purpose: 'recording', at: '2025-06-01T12:00:00' }, /`at`/],
      [{ purpose: 'recording', at: Number.NaN }, /`at`/],
      [{ purpose: 'recording', at: new Date('nope') }, /`at`/],
    ]
    for (const [query, message] of bad) {
      assert.throws(
        () => isPermitted(vcon, query),
        (err: unknown) =>
          isVconError(err) && err.code === 'VCON_BAD_ARGUMENT' && message.test(err.message),
      )
    }
    assert.throws(() => isPermitted(vcon, { purpose: 'recording' }, { skewMs: -1 }), /skewMs/)
  })

  test('reasons carry no personal data, whatever the code', () => {
    const sealed = record({ party: 0 }, allow('recording')) as Record<string, unknown>
    const vcons = [
      vconWith(
        record({ party: 1 }, allow('recording', { conditions: ['call Alice Okafor first'] })),
      ),
      vconWith(record({ party: 1 }, deny('recording'))),
      vconWith({
        ...sealed,
        body: { ...(sealed.body as object), metadata: { by: 'bob@example.com' } },
      }),
      vconWith(record({ expiration: new Date(0) }, allow('recording'))),
      vconWith(),
    ]
    const personal = /Alice|Okafor|Bob|bob@|example\.com|\+1202|5550123|Carol/
    for (const vcon of vcons) {
      for (const party of [undefined, 0, 1, 2]) {
        for (const purpose of ['recording', 'genai', 'marketing']) {
          assert.doesNotMatch(ask(vcon, purpose, party).reason, personal)
        }
      }
    }
  })

  test('the vCon is not changed', () => {
    const vcon = deepFreeze(
      vconWith(record({}, allow('recording')), record({ party: 1 }, deny('ai'))),
    )
    assert.equal(ask(vcon, 'genai', 1).code, 'denied')
  })
})
