import assert from 'node:assert/strict'
import { test } from 'node:test'
import { alignColumns, plural } from './table.js'

test('alignColumns pads all columns but the last and trims the line end', () => {
  assert.deepEqual(
    alignColumns([
      ['#', 'name', 'tel'],
      ['10', 'Maria Lopez', ''],
    ]),
    ['#   name         tel', '10  Maria Lopez'],
  )
})

test('alignColumns caps a column so one long cell does not push the rest away', () => {
  const [a, b] = alignColumns(
    [
      ['x'.repeat(60), 'y'],
      ['z', 'w'],
    ],
    { maxWidth: 10 },
  )
  assert.equal(a, `${'x'.repeat(60)}  y`)
  assert.equal(b, `z${' '.repeat(9)}  w`)
})

test('plural', () => {
  assert.equal(plural(1, 'file'), '1 file')
  assert.equal(plural(0, 'file'), '0 files')
  assert.equal(plural(2, 'analysis', 'analyses'), '2 analyses')
})
