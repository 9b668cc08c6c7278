import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { combineDetectors, mergeSpans, type PiiDetector } from './pii-detector.js'
import { createRegexPiiDetector } from './regex-pii-detector.js'
import { TextRedactor } from './text-redactor.js'

const regex = createRegexPiiDetector({ knownNames: ['Alice'] })

describe('TextRedactor', () => {
  test('replaces spans with [kind] and counts them by kind', () => {
    const r = new TextRedactor(regex)
    assert.equal(
      r.redactString('Alice: call 555-123-4567 or mail a@example.com, Alice'),
      '[name]: call [phone] or mail [email], [name]',
    )
    assert.deepEqual(r.counts(), { email: 1, name: 2, phone: 1 })
  })

  test('a custom replacement and a kinds filter', () => {
    const r = new TextRedactor(regex, (kind) => `<${kind.toUpperCase()}>`, ['phone'])
    assert.equal(r.redactString('Alice 555-123-4567'), 'Alice <PHONE>')
    assert.deepEqual(r.counts(), { phone: 1 })
  })

  test('a series of words is read as one text: a number split over words is removed from each', () => {
    const r = new TextRedactor(regex)
    const out = r.redactSeries(['my', 'number', 'is', '555', '123', '4567.', undefined, 'thanks'])
    assert.deepEqual(out, [
      'my',
      'number',
      'is',
      '[phone]',
      '[phone]',
      '[phone].',
      undefined,
      'thanks',
    ])
    assert.deepEqual(r.counts(), { phone: 1 })
  })

  test('JSON: every string value, word arrays as running text, keys and numbers untouched', () => {
    const r = new TextRedactor(regex)
    const body = {
      transcript: { text: 'Alice here, 555 123 4567', confidence: 0.9 },
      segments: [
        { id: 0, start: 0, end: 1, text: 'Alice here,' },
        { id: 1, start: 1, end: 2, text: '555 123 4567' },
      ],
      words: [
        { word: '555', start: 1 },
        { word: '123', start: 1.2 },
        { word: '4567', start: 1.4 },
      ],
      'Alice@example.com': 5551234567,
    }
    assert.deepEqual(r.redactJson(body), {
      transcript: { text: '[name] here, [phone]', confidence: 0.9 },
      segments: [
        { id: 0, start: 0, end: 1, text: '[name] here,' },
        { id: 1, start: 1, end: 2, text: '[phone]' },
      ],
      words: [
        { word: '[phone]', start: 1 },
        { word: '[phone]', start: 1.2 },
        { word: '[phone]', start: 1.4 },
      ],
      'Alice@example.com': 5551234567,
    })
    assert.deepEqual(r.counts(), { name: 2, phone: 3 })
  })

  test('overlapping spans from a custom detector are replaced once', () => {
    const sloppy: PiiDetector = {
      detect: () => [
        { start: 0, end: 5, kind: 'x' },
        { start: 3, end: 8, kind: 'y' },
      ],
    }
    const r = new TextRedactor(sloppy)
    assert.equal(r.redactString('abcdefghij'), '[x]ij')
  })
})

describe('mergeSpans and combineDetectors', () => {
  test('overlaps merge, the more specific kind wins, touching spans stay apart', () => {
    assert.deepEqual(
      mergeSpans([
        { start: 5, end: 9, kind: 'phone' },
        { start: 0, end: 6, kind: 'card' },
        { start: 9, end: 12, kind: 'name' },
        { start: 20, end: 20, kind: 'email' },
      ]),
      [
        { start: 0, end: 9, kind: 'card' },
        { start: 9, end: 12, kind: 'name' },
      ],
    )
  })

  test('combineDetectors unions the spans of several detectors', () => {
    const fixed: PiiDetector = { detect: () => [{ start: 0, end: 3, kind: 'org' }] }
    const both = combineDetectors(fixed, createRegexPiiDetector())
    assert.deepEqual(both.detect('Bob a@example.com'), [
      { start: 0, end: 3, kind: 'org' },
      { start: 4, end: 17, kind: 'email' },
    ])
  })
})
