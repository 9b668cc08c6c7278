import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { mentionsIn, telMentionKeys, telMentionMatches } from './text-mentions.js'

describe('identifiers mentioned in text', () => {
  test('finds numbers, email addresses, sip URIs and DIDs, normalised', () => {
    const text =
      'Call +1 (555) 010-0100 or 020 7946 0018, mail Bob.Jones@Example.com, sip:Carol@Example.ORG;transport=tcp, did:web:x.example.'
    assert.deepEqual(mentionsIn(text), [
      { kind: 'tel', value: '+15550100100' },
      { kind: 'tel', value: '02079460018' },
      { kind: 'mailto', value: 'bob.jones@example.com' },
      { kind: 'mailto', value: 'carol@example.org' },
      { kind: 'sip', value: 'Carol@example.org' },
      { kind: 'did', value: 'did:web:x.example' },
    ])
  })

  test('leaves out short numbers, dates, times, numbers inside words and addresses', () => {
    assert.deepEqual(
      mentionsIn(
        'Order 1234, at 10:30 on 2025-03-01T10:00:00Z, ref AB5550100, 5550100@example.com',
      ),
      [{ kind: 'mailto', value: '5550100@example.com' }],
    )
  })

  test('a number in text matches the same digits, or its national form without +', () => {
    assert.equal(telMentionMatches('+15550100', '+15550100'), true)
    assert.equal(telMentionMatches('+15550100', '15550100'), true)
    assert.equal(telMentionMatches('+15550100', '5550100'), true)
    assert.equal(telMentionMatches('+15550100', '+5550100'), false, 'another country')
    assert.equal(telMentionMatches('+15550100', '550100'), false, 'too short to be a number')
    assert.equal(telMentionMatches('5550100', '+15550100'), false, 'no country code is guessed')
    const keys = telMentionKeys('+15550100')
    assert.deepEqual(keys.sort(), ['+15550100', '15550100', '5550100'].sort())
    for (const key of keys) assert.equal(telMentionMatches('+15550100', key), true, key)
  })

  test('hostile text is scanned in linear time (long runs that never complete a match)', () => {
    const runs = [
      `${'1 '.repeat(100_000)}x`,
      `${'a'.repeat(200_000)}`,
      `sip:${'a.'.repeat(100_000)}`,
      `${'a.'.repeat(100_000)}@`,
    ]
    for (const text of runs) assert.ok(Array.isArray(mentionsIn(text)))
  })
})
