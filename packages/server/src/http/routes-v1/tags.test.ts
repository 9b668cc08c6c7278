import assert from 'node:assert/strict'
import { test } from 'node:test'
import { getTags } from '@vconkit/vcon'
import { ServerError } from '../../errors/server-error.js'
import { readTagsInput, withTags } from './tags.js'

const NOW = '2025-06-01T00:00:00.000Z'
const base = {
  uuid: 'u',
  created_at: '2025-01-01T00:00:00.000Z',
  parties: [{ name: 'a' }],
  dialog: [{ type: 'text' }],
}

test('merging into a vCon without tags adds one tags attachment (purpose, start, party, dialog)', () => {
  const { vcon, tags } = withTags(base, { a: '1' }, false, NOW)
  assert.deepEqual(tags, { a: '1' })
  assert.deepEqual(vcon.attachments, [
    {
      purpose: 'tags',
      start: '2025-01-01T00:00:00.000Z',
      party: 0,
      dialog: 0,
      mediatype: 'application/json',
      encoding: 'json',
      body: ['a:1'],
    },
  ])
  assert.equal(vcon.updated_at, NOW)
  assert.equal((base as Record<string, unknown>).attachments, undefined, 'input not mutated')
})

test('merge keeps other tags and writes the full set into the last tags attachment', () => {
  const vcon = {
    ...base,
    attachments: [
      { purpose: 'tags', encoding: 'json', body: ['a:1', 'b:2'] },
      { purpose: 'note', body: 'x', encoding: 'none' },
      { type: 'tags', encoding: 'json', body: ['c:3'] },
    ],
  }
  const merged = withTags(vcon, { b: 'two', d: '4' }, false, NOW)
  assert.deepEqual(merged.tags, { a: '1', b: 'two', c: '3', d: '4' })
  assert.deepEqual(getTags(merged.vcon), merged.tags)
  const replaced = withTags(vcon, { z: '26' }, true, NOW)
  assert.deepEqual(getTags(replaced.vcon), { z: '26' })
  const attachments = replaced.vcon.attachments as Record<string, unknown>[]
  assert.equal(attachments.length, 3, 'no attachment moves')
  assert.deepEqual(attachments[0]?.body, [])
  assert.equal(attachments[1]?.purpose, 'note')
})

test('tag input: an object of strings or a list of name:value strings', () => {
  assert.deepEqual(readTagsInput({ a: '1' }), { a: '1' })
  assert.deepEqual(readTagsInput(['a:1:2', 'flag']), { a: '1:2', flag: '' })
  assert.deepEqual(Object.keys(readTagsInput({ __proto__: 'x' } as unknown as object)), [])
  assert.deepEqual(readTagsInput(JSON.parse('{"__proto__":"x"}')), { ['__proto__']: 'x' })
  for (const bad of [{ a: 1 }, [1], 'str', { 'a:b': 'x' }, { '': 'x' }]) {
    assert.throws(
      () => readTagsInput(bad),
      (e) => e instanceof ServerError && e.code === 'BAD_REQUEST',
    )
  }
})
