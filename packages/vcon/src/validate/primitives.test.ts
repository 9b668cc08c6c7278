import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isDate, isMediatype, isUuidSyntax, isZonelessDate } from './primitives.js'

test('isDate: RFC 3339 date-times with a zone, fractions of any length, calendar checked', () => {
  for (const ok of [
    '2025-03-04T10:31:03Z',
    '2025-03-04t10:31:03z',
    '2025-03-04 10:31:03Z',
    '2025-03-04T10:31:03.1Z',
    '2025-03-04T10:31:03.123456789+05:30',
    '2025-03-04T23:59:60-23:59',
    '2024-02-29T00:00:00Z',
    '2000-02-29T00:00:00Z',
    '0000-01-01T00:00:00Z',
  ]) {
    assert.equal(isDate(ok), true, ok)
  }
  for (const bad of [
    '2025-03-04T10:31:03',
    '2025-03-04T10:31Z',
    '2025-03-04T10:31:03.Z',
    '2025-03-04T10:31:03+24:00',
    '2025-03-04T10:31:03+05:60',
    '2025-03-04T10:31:03+0530',
    '2025-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2025-13-01T00:00:00Z',
    '2025-04-31T00:00:00Z',
    '2025-03-04T24:00:00Z',
    '2025/03/04T10:31:03Z',
    '2025-03-04T10:31:03Zjunk',
    '２０２５-03-04T10:31:03Z',
    '',
  ]) {
    assert.equal(isDate(bad), false, bad)
  }
})

test('isZonelessDate: the legacy shape the upgrader reads as UTC', () => {
  assert.equal(isZonelessDate('2024-01-01T00:00:00'), true)
  assert.equal(isZonelessDate('2024-01-01T00:00'), true)
  assert.equal(isZonelessDate('2024-01-01T00:00:00Z'), false)
  assert.equal(isZonelessDate('2024-02-30T00:00:00'), false)
})

test('isMediatype and isUuidSyntax', () => {
  assert.equal(isMediatype('text/plain'), true)
  assert.equal(isMediatype('multipart/mixed; \n\tboundary="x"'), true)
  assert.equal(isMediatype('text/plain'), true, 'the remembered value answers the same')
  assert.equal(isMediatype('textplain'), false)
  assert.equal(isUuidSyntax('019f15a6-a752-826f-b9a2-279e0d16bc46'), true)
  assert.equal(isUuidSyntax('019f15a6a752826fb9a2279e0d16bc46'), false)
})
