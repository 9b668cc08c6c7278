import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fts5Query, MAX_SEARCH_TERMS, searchLimit, searchTerms } from './search-terms.js'

test('searchTerms keeps words only, lowercased and unique', () => {
  assert.deepEqual(searchTerms('Refund "order" AND refund* -x NEAR(a b) col:val'), [
    'refund',
    'order',
    'and',
    'x',
    'near',
    'a',
    'b',
    'col',
    'val',
  ])
  assert.deepEqual(searchTerms('Crème brûlée 日本語 42'), ['crème', 'brûlée', '日本語', '42'])
  assert.deepEqual(searchTerms(`"*:-()'; DROP--`), ['drop'])
  assert.deepEqual(searchTerms('" * : -'), [])
})

test('searchTerms bounds the number and length of terms', () => {
  const many = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ')
  assert.equal(searchTerms(many).length, MAX_SEARCH_TERMS)
  assert.equal(searchTerms('a'.repeat(10_000))[0]?.length, 64)
})

test('fts5Query quotes every term', () => {
  assert.equal(fts5Query(['near', 'x']), '"near" "x"')
  assert.equal(fts5Query(['a"b']), '"a""b"')
})

test('searchLimit clamps', () => {
  assert.equal(searchLimit(0), 1)
  assert.equal(searchLimit(1e9), 100)
  assert.equal(searchLimit(Number.NaN), 20)
  assert.equal(searchLimit(7.9), 7)
})
