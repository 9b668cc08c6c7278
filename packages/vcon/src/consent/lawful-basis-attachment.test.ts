import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isVconError } from '../errors/vcon-error.js'
import {
  checkLawfulBasisHash,
  type LawfulBasisContentHash,
} from '../extensions/lawful-basis-hash.js'
import { lawfulBasisAttachment } from './lawful-basis-attachment.js'
import { createPurposeVocabulary } from './purposes.js'

const GRANTED = new Date('2025-06-01T12:00:00Z')
const LATER = new Date('2025-08-01T00:00:00Z')

function badArgument(fn: () => unknown, pattern: RegExp): void {
  assert.throws(
    fn,
    (err: unknown) =>
      isVconError(err) && err.code === 'VCON_BAD_ARGUMENT' && pattern.test(err.message),
  )
}

describe('lawfulBasisAttachment', () => {
  test('writes the draft’s body with a sha-256 JCS content_hash that verifies', () => {
    const a = lawfulBasisAttachment({
      basis: 'contract',
      party: 0,
      dialog: 0,
      expiration: '2026-06-01T00:00:00Z',
      at: GRANTED,
      grants: [
        { purpose: 'recording', granted: true, conditions: ['EU storage'] },
        { purpose: 'marketing', granted: false, granted_at: '2025-05-01T00:00:00+02:00' },
      ],
    })
    const { body: written, ...rest } = a
    const body = written as Record<string, unknown>
    assert.deepEqual(rest, {
      type: 'lawful_basis',
      purpose: 'lawful_basis',
      start: '2025-06-01T12:00:00.000Z',
      party: 0,
      dialog: 0,
      encoding: 'json',
    })
    const { content_hash, ...fields } = body
    assert.deepEqual(fields, {
      lawful_basis: 'contract',
      expiration: '2026-06-01T00:00:00Z',
      purpose_grants: [
        {
          purpose: 'recording',
          granted: true,
          granted_at: '2025-06-01T12:00:00.000Z',
          conditions: ['EU storage'],
        },
        { purpose: 'marketing', granted: false, granted_at: '2025-05-01T00:00:00+02:00' },
      ],
    })
    const hash = content_hash as LawfulBasisContentHash
    assert.equal(hash.algorithm, 'sha-256')
    assert.equal(checkLawfulBasisHash(body, hash).kind, 'match')
  })

  test('party and dialog are optional; a Date expiration is written in UTC', () => {
    const a = lawfulBasisAttachment({
      basis: 'consent',
      expiration: LATER,
      at: GRANTED,
      grants: [],
    })
    assert.equal('party' in a, false)
    assert.equal('dialog' in a, false)
    assert.equal((a.body as Record<string, unknown>).expiration, '2025-08-01T00:00:00.000Z')
  })

  test('refuses wrong input, naming the field', () => {
    const base = { basis: 'consent' as const, expiration: null, at: GRANTED, grants: [] }
    badArgument(() => lawfulBasisAttachment({ ...base, basis: 'because' as 'consent' }), /`basis`/)
    badArgument(() => lawfulBasisAttachment({ ...base, expiration: 'tomorrow' }), /`expiration`/)
    badArgument(() => lawfulBasisAttachment({ ...base, at: new Date('x') }), /`at`/)
    badArgument(() => lawfulBasisAttachment({ ...base, party: -1 }), /`party`/)
    badArgument(
      () => lawfulBasisAttachment({ ...base, grants: [{ purpose: '', granted: true }] }),
      /grants\[0\]/,
    )
    badArgument(
      () =>
        lawfulBasisAttachment({
          ...base,
          grants: [{ purpose: 'recording', granted: 'yes' as unknown as boolean }],
        }),
      /grants\[0\]\.granted/,
    )
    const vocabulary = createPurposeVocabulary()
    badArgument(
      () =>
        lawfulBasisAttachment({
          ...base,
          vocabulary,
          grants: [{ purpose: 'publication', granted: true }],
        }),
      /"publication" is not in the purpose vocabulary/,
    )
  })
})
