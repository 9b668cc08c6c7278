import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { jsonErrorOffset } from './json-error-offset.js'

test('valid JSON has no error offset', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      assert.equal(jsonErrorOffset(JSON.stringify(value, null, 2)), undefined)
    }),
    { numRuns: 300 },
  )
})

test('the offset is the first character that breaks the grammar', () => {
  assert.equal(jsonErrorOffset('{\n  "port": 8000,\n  "host": }\n'), 28)
  assert.equal(jsonErrorOffset('{"a": 1,}'), 8)
  assert.equal(jsonErrorOffset('[1 2]'), 3)
  assert.equal(jsonErrorOffset('{"a": tru}'), 6)
  assert.equal(jsonErrorOffset('"abc'), 4)
  assert.equal(jsonErrorOffset('{} x'), 3)
  assert.equal(jsonErrorOffset(''), 0)
})

test('whatever JSON.parse refuses has an offset', () => {
  fc.assert(
    fc.property(fc.string(), (text) => {
      let parses = true
      try {
        JSON.parse(text)
      } catch {
        parses = false
      }
      assert.equal(jsonErrorOffset(text) === undefined, parses)
    }),
    { numRuns: 500 },
  )
})
