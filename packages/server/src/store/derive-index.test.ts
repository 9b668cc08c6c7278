import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { type Vcon, VconBuilder } from '@vconkit/vcon'
import {
  deriveIndex,
  MAX_INDEX_TEXT,
  normaliseDate,
  normaliseMailto,
  normaliseName,
  normaliseTel,
} from './derive-index.js'

const NOW = Date.parse('2025-06-01T12:00:00.000Z')
const now = () => NOW

function sample(): Vcon {
  const b = new VconBuilder({ now: () => new Date('2025-03-04T10:00:00+02:00') })
  const alice = b.addParty({
    tel: 'tel:+1-555-123-0000',
    name: '  Alice   SMITH ',
    validation: 'none',
  })
  const bob = b.addParty({ mailto: 'mailto:Bob@Example.COM', name: 'Bob' })
  b.addParty({ tel: '+1 (555) 123 0000' })
  const d = b.addTextDialog({
    parties: [alice, bob],
    start: '2025-03-04T08:00:00Z',
    body: 'My blender stopped working',
  })
  b.addAnalysis({
    type: 'summary',
    dialog: d,
    vendor: 'acme',
    body: 'Customer reports a broken blender',
  })
  b.addAnalysis({
    type: 'sentiment',
    dialog: d,
    vendor: 'acme',
    body: 'negative-words-not-indexed',
  })
  b.addTags({ queue: 'support', priority: 'high' }, { party: alice, dialog: d })
  b.setSubject('Blender repair')
  return b.build()
}

describe('deriveIndex', () => {
  test('derives parties, tags, subject, date and text', () => {
    const facts = deriveIndex(sample(), now)
    assert.deepEqual(facts.tels, ['+15551230000'])
    assert.deepEqual(facts.mailtos, ['bob@example.com'])
    assert.deepEqual(facts.names, ['alice smith', 'bob'])
    assert.deepEqual(facts.tags, ['queue:support', 'priority:high'])
    assert.equal(facts.subject, 'Blender repair')
    assert.equal(facts.createdAt, '2025-03-04T08:00:00.000Z')
    assert.equal(
      facts.text,
      [
        'Blender repair',
        'Alice   SMITH',
        'Bob',
        'Alice   SMITH: My blender stopped working',
        'Customer reports a broken blender',
      ].join('\n'),
    )
    assert.ok(!facts.text.includes('negative-words-not-indexed'), 'only summaries are indexed')
  })

  test('uses the clock only when created_at is missing or not a date', () => {
    const vcon = { ...sample() }
    assert.equal(
      deriveIndex({ ...vcon, created_at: 'yesterday' }, now).createdAt,
      '2025-06-01T12:00:00.000Z',
    )
    const { created_at: _, ...without } = vcon
    assert.equal(deriveIndex(without as Vcon, now).createdAt, '2025-06-01T12:00:00.000Z')
  })

  test('tolerates a vCon with nothing to index', () => {
    const facts = deriveIndex({ vcon: '0.4.0', uuid: 'x' } as unknown as Vcon, now)
    assert.deepEqual(facts, {
      tels: [],
      mailtos: [],
      names: [],
      tags: [],
      subject: undefined,
      createdAt: '2025-06-01T12:00:00.000Z',
      text: '',
      refs: [],
    })
  })

  test('bounds the text and strips NUL characters', () => {
    const b = new VconBuilder()
    const p = b.addParty({ name: 'A' })
    b.addTextDialog({
      parties: p,
      start: '2025-01-01T00:00:00Z',
      body: `x\u0000y ${'word '.repeat(100_000)}`,
    })
    const facts = deriveIndex(b.build(), now)
    assert.equal(facts.text.length, MAX_INDEX_TEXT)
    assert.ok(facts.text.includes('A: xy word'))
    assert.ok(!facts.text.includes('\u0000'))
  })

  test('does not split a surrogate pair at the bound', () => {
    const b = new VconBuilder()
    const p = b.addParty({ name: 'A' })
    // "A\n" + "A: " = 5 code units, so the emoji pairs straddle the bound.
    b.addTextDialog({
      parties: p,
      start: '2025-01-01T00:00:00Z',
      body: '🎧'.repeat(MAX_INDEX_TEXT),
    })
    const text = deriveIndex(b.build(), now).text
    assert.ok(text.length === MAX_INDEX_TEXT || text.length === MAX_INDEX_TEXT - 1)
    assert.ok(!/[\ud800-\udbff]$/.test(text), 'no lone high surrogate at the end')
  })

  test('does not change its input', () => {
    const vcon = sample()
    const before = JSON.stringify(vcon)
    deriveIndex(vcon, now)
    assert.equal(JSON.stringify(vcon), before)
  })
})

describe('normalisers', () => {
  test('tel keeps + and digits', () => {
    assert.equal(normaliseTel('tel:+1-555-123-0000'), '+15551230000')
    assert.equal(normaliseTel('TEL:+1.555.123.0000;ext=12'), '+15551230000')
    assert.equal(normaliseTel(' +44 (20) 7946 0000 '), '+442079460000')
    assert.equal(normaliseTel('555-0100'), '5550100')
    assert.equal(normaliseTel('1+2'), '12')
    assert.equal(normaliseTel('unknown'), '')
  })

  test('mailto lowercases and strips the scheme and headers', () => {
    assert.equal(normaliseMailto('mailto:Bob@Example.COM'), 'bob@example.com')
    assert.equal(normaliseMailto('MAILTO:a@b.c?subject=hi'), 'a@b.c')
    assert.equal(normaliseMailto(' x@y.z '), 'x@y.z')
  })

  test('name lowercases, trims and collapses whitespace', () => {
    assert.equal(normaliseName('  Ada \t Lovelace '), 'ada lovelace')
    assert.equal(normaliseName('ÉMILE'), 'émile')
  })

  test('dates become ISO UTC with milliseconds', () => {
    assert.equal(normaliseDate('2025-03-04T10:00:00+02:00'), '2025-03-04T08:00:00.000Z')
    assert.equal(normaliseDate('2025-03-04T10:00:00.123456Z'), '2025-03-04T10:00:00.123Z')
    assert.equal(normaliseDate('not a date'), undefined)
    assert.equal(normaliseDate('+020000-01-01T00:00:00Z'), undefined)
  })
})
