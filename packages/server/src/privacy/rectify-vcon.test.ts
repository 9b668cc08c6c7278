import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readRectificationRequest } from './rectify-vcon.js'

const UUID = '0190c000-0000-8000-8000-000000000001'

test('a rectification request names the field that is wrong', () => {
  const ok = {
    uuid: UUID,
    corrections: [{ pointer: '/parties/0/name', value: 'Alice' }],
    reason: ' typo ',
  }
  assert.deepEqual(readRectificationRequest(ok), { ...ok, reason: 'typo' })
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ ...ok, uuid: 'x' }, /^uuid must/],
    [{ ...ok, corrections: [] }, /^corrections must/],
    [{ ...ok, corrections: [ok.corrections[0], 'x'] }, /^corrections\[1\] must be an object/],
    [{ ...ok, corrections: [{ pointer: 'parties/0', value: 1 }] }, /^corrections\[0\]\.pointer/],
    [{ ...ok, corrections: [{ pointer: '/subject' }] }, /^corrections\[0\]\.value is missing/],
    [{ ...ok, reason: '  ' }, /^reason must/],
  ]
  for (const [body, message] of cases) {
    assert.throws(() => readRectificationRequest(body), { code: 'BAD_REQUEST', message })
  }
})
