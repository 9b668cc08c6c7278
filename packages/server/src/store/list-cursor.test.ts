import assert from 'node:assert/strict'
import { test } from 'node:test'
import { decodeCursor, encodeCursor, filterDate, pageSize } from './list-cursor.js'

test('a cursor round-trips', () => {
  const position = {
    createdAt: '2025-03-04T10:00:00.000Z',
    uuid: '01953f6a-0000-8000-8000-000000000001',
  }
  const cursor = encodeCursor(position)
  assert.match(cursor, /^[A-Za-z0-9_-]+$/)
  assert.deepEqual(decodeCursor(cursor), position)
})

test('a cursor that was not made here is a BAD_REQUEST', () => {
  const bad = [
    'not base64!',
    Buffer.from('{"a":1}').toString('base64url'),
    Buffer.from('["yesterday","u"]').toString('base64url'),
    Buffer.from('["2025-03-04T10:00:00Z","u"]').toString('base64url'),
    'A'.repeat(2000),
  ]
  for (const cursor of bad) {
    assert.throws(() => decodeCursor(cursor), { name: 'ServerError', code: 'BAD_REQUEST' }, cursor)
  }
})

test('filter dates are normalised or refused', () => {
  assert.equal(filterDate('since', '2025-03-04T12:00:00+02:00'), '2025-03-04T10:00:00.000Z')
  assert.throws(() => filterDate('until', 'soon'), { code: 'BAD_REQUEST', message: /until/ })
})

test('page sizes are clamped', () => {
  assert.equal(pageSize(0), 1)
  assert.equal(pageSize(5000), 1000)
  assert.equal(pageSize(Number.NaN), 100)
})
