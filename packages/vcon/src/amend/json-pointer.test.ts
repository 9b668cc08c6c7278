import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { parsePointer, setAtPointer } from './json-pointer.js'

describe('json pointers', () => {
  test('parsePointer unescapes ~1 and ~0 (RFC 6901 §4)', () => {
    assert.deepEqual(parsePointer('/a~1b/c~0d/0'), ['a/b', 'c~d', '0'])
    assert.deepEqual(parsePointer(''), [])
    assert.throws(() => parsePointer('a/b'), /start with "\/"/)
    assert.throws(() => parsePointer('/a~2'), /~/)
  })

  test('setAtPointer replaces array elements and sets object keys, parents must exist', () => {
    const doc = { a: [1, 2, { b: 'x' }] }
    setAtPointer(doc, ['a', '1'], 20, '/a/1')
    setAtPointer(doc, ['a', '2', 'c'], true, '/a/2/c')
    assert.deepEqual(doc, { a: [1, 20, { b: 'x', c: true }] })
    assert.throws(() => setAtPointer(doc, ['a', '3'], 0, '/a/3'), /existing element/)
    assert.throws(() => setAtPointer(doc, ['a', '-'], 0, '/a/-'), /existing element/)
    assert.throws(() => setAtPointer(doc, ['z', 'y'], 0, '/z/y'), /does not exist/)
    assert.throws(() => setAtPointer(doc, ['a', '0', 'q'], 0, '/a/0/q'), /not an object or array/)
  })
})
