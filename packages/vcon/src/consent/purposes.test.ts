import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { isVconError } from '../errors/vcon-error.js'
import { createPurposeVocabulary, STANDARD_PURPOSES } from './purposes.js'

/** Asserts that `fn` throws a VCON_BAD_ARGUMENT VconError whose message matches `pattern`. */
function throwsBadArgument(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (err: unknown) => {
    assert.ok(isVconError(err), 'a VconError')
    assert.equal(err.code, 'VCON_BAD_ARGUMENT')
    assert.match(err.message, pattern)
    return true
  })
}

describe('standard purposes', () => {
  test('include the lawful-basis and consent drafts’ purposes and the aipref labels', () => {
    const names = STANDARD_PURPOSES.map((p) => p.name)
    for (const required of [
      'recording',
      'transcription',
      'analysis',
      'analytics',
      'quality_assurance',
      'training',
      'marketing',
      'sharing',
      'storage',
      'tdm',
      'ai',
      'genai',
      'search',
      'inference',
    ]) {
      assert.ok(names.includes(required), required)
    }
    assert.equal(new Set(names).size, names.length, 'no duplicates')
    for (const p of STANDARD_PURPOSES) {
      assert.match(p.name, /^[a-z][a-z0-9_-]*$/)
      assert.ok(p.description.length > 0, `${p.name} has a description`)
    }
  })

  test('aipref labels carry the aipref source; the others the lawful-basis source', () => {
    const aipref = STANDARD_PURPOSES.filter((p) => p.source === 'aipref').map((p) => p.name)
    assert.deepEqual(aipref.sort(), ['ai', 'genai', 'inference', 'search', 'tdm'])
    assert.ok(STANDARD_PURPOSES.every((p) => p.source !== 'configured'))
  })

  test('lineage follows the aipref registry hierarchy (genai ⊂ ai ⊂ tdm; search, inference ⊂ tdm)', () => {
    const v = createPurposeVocabulary()
    assert.deepEqual(v.lineage('genai'), ['genai', 'ai', 'tdm'])
    assert.deepEqual(v.lineage('ai'), ['ai', 'tdm'])
    assert.deepEqual(v.lineage('search'), ['search', 'tdm'])
    assert.deepEqual(v.lineage('inference'), ['inference', 'tdm'])
    assert.deepEqual(v.lineage('tdm'), ['tdm'])
    assert.deepEqual(v.lineage('sentiment_analysis'), ['sentiment_analysis', 'analysis'])
    assert.deepEqual(v.lineage('recording'), ['recording'])
  })

  test('unknown names are absent and have no lineage', () => {
    const v = createPurposeVocabulary()
    assert.equal(v.has('publication'), false)
    assert.equal(v.get('publication'), undefined)
    assert.deepEqual(v.lineage('publication'), [])
    assert.equal(v.has('RECORDING'), false)
    assert.equal(v.has('toString'), false)
  })

  test('standard definitions cannot be changed by a caller', () => {
    const first = STANDARD_PURPOSES[0]
    assert.ok(first !== undefined)
    assert.throws(() => {
      ;(first as { name: string }).name = 'x'
    }, TypeError)
    assert.throws(() => {
      ;(STANDARD_PURPOSES as PurposeArray).push(first)
    }, TypeError)
  })
})

type PurposeArray = (typeof STANDARD_PURPOSES)[number][]

describe('createPurposeVocabulary: configured purposes', () => {
  test('adds bare names and objects with broader purposes, configured in any order', () => {
    const v = createPurposeVocabulary([
      'publication',
      {
        name: 'voice_clone',
        description: 'Synthesising a party’s voice.',
        broader: ['genai', 'biometrics'],
      },
      { name: 'biometrics', broader: ['analysis'] },
    ])
    assert.equal(v.has('publication'), true)
    assert.equal(v.get('publication')?.source, 'configured')
    assert.deepEqual(v.get('publication')?.broader, [])
    assert.equal(v.get('voice_clone')?.description, 'Synthesising a party’s voice.')
    assert.deepEqual(v.lineage('voice_clone'), [
      'voice_clone',
      'genai',
      'biometrics',
      'ai',
      'analysis',
      'tdm',
    ])
    assert.equal(v.list().length, STANDARD_PURPOSES.length + 3)
    assert.equal(v.has('genai'), true, 'standard purposes stay')
  })

  test('a purpose reached by two paths is listed once', () => {
    const v = createPurposeVocabulary([{ name: 'rag', broader: ['search', 'inference'] }])
    assert.deepEqual(v.lineage('rag'), ['rag', 'search', 'inference', 'tdm'])
  })

  test('rejects malformed names, naming the entry', () => {
    throwsBadArgument(
      () => createPurposeVocabulary(['Publication']),
      /Configured purpose 0.*\[a-z\]/,
    )
    throwsBadArgument(() => createPurposeVocabulary(['ok', '9lives']), /Configured purpose 1/)
    throwsBadArgument(() => createPurposeVocabulary(['has space']), /Configured purpose 0/)
    throwsBadArgument(() => createPurposeVocabulary(['']), /Configured purpose 0/)
    throwsBadArgument(() => createPurposeVocabulary([`a${'b'.repeat(64)}`]), /at most 64/)
    throwsBadArgument(
      () => createPurposeVocabulary([42 as unknown as string]),
      /Configured purpose 0/,
    )
    throwsBadArgument(
      () => createPurposeVocabulary([{ name: 'x', broader: 'tdm' as unknown as string[] }]),
      /"x".*broader/,
    )
    throwsBadArgument(
      () => createPurposeVocabulary([{ name: 'x', description: 3 as unknown as string }]),
      /"x".*description/,
    )
  })

  test('rejects duplicates of standard or configured purposes', () => {
    throwsBadArgument(() => createPurposeVocabulary(['recording']), /"recording".*standard/)
    throwsBadArgument(
      () => createPurposeVocabulary(['a', 'b', 'a']),
      /Configured purpose 2 \("a"\).*twice/,
    )
  })

  test('rejects unknown broader purposes', () => {
    throwsBadArgument(
      () => createPurposeVocabulary([{ name: 'x', broader: ['nowhere'] }]),
      /Configured purpose 0 \("x"\).*"nowhere"/,
    )
  })

  test('rejects cycles, including a purpose broader than itself', () => {
    throwsBadArgument(
      () => createPurposeVocabulary([{ name: 'x', broader: ['x'] }]),
      /cycle.*x → x/,
    )
    throwsBadArgument(
      () =>
        createPurposeVocabulary([
          { name: 'a', broader: ['b'] },
          { name: 'b', broader: ['c'] },
          { name: 'c', broader: ['a', 'tdm'] },
        ]),
      /cycle/,
    )
  })
})
