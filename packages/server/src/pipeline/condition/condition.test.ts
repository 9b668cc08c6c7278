import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Vcon } from '@vconkit/vcon'
import { ServerError } from '../../errors/server-error.js'
import { compileCondition, jsonEquals } from './condition.js'
import { parsePointer, resolvePointer } from './json-pointer.js'

const vcon: Vcon = {
  uuid: '0195e1c2-3b4a-8d5e-9f60-718293a4b5c6',
  subject: 'Sales call',
  parties: [{ tel: '+15551230001', name: 'Alice' }, { mailto: 'Bob@Example.com' }],
  dialog: [
    { type: 'recording', start: '2025-03-01T10:00:00Z', duration: 42 },
    { type: 'text', start: '2025-03-01T10:01:00Z', duration: 5 },
  ],
  attachments: [{ purpose: 'tags', encoding: 'json', body: ['category:sales', 'vip:'] }],
}

function configError(fn: () => unknown, includes: string): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ServerError)
    assert.equal(error.code, 'CONFIG_INVALID')
    assert.ok(error.message.includes(includes), `"${error.message}" should include "${includes}"`)
    return true
  })
}

describe('json pointer', () => {
  test('parses RFC 6901 escapes and refuses malformed pointers', () => {
    assert.deepEqual(parsePointer(''), [])
    assert.deepEqual(parsePointer('/a~1b/c~0d'), ['a/b', 'c~d'])
    assert.equal(parsePointer('a/b'), undefined)
    assert.equal(parsePointer('/a~2'), undefined)
  })

  test('resolves indices, members and wildcards; never the prototype chain', () => {
    assert.deepEqual(resolvePointer(vcon, ['parties', '0', 'tel']), ['+15551230001'])
    assert.deepEqual(resolvePointer(vcon, ['dialog', '*', 'type']), ['recording', 'text'])
    assert.deepEqual(resolvePointer(vcon, ['parties', '01', 'tel']), [])
    assert.deepEqual(resolvePointer(vcon, ['parties', '5']), [])
    assert.deepEqual(resolvePointer(vcon, ['__proto__']), [])
    assert.deepEqual(resolvePointer(vcon, ['parties', 'constructor']), [])
    assert.deepEqual(resolvePointer({}, ['toString']), [])
  })
})

describe('conditions', () => {
  test('exists, equals, in, matches and comparisons on pointers', () => {
    const holds = (spec: unknown) => compileCondition(spec, 'when')(vcon)
    assert.equal(holds({ pointer: '/parties/0/tel' }), true)
    assert.equal(holds({ pointer: '/parties/0/mailto', exists: true }), false)
    assert.equal(holds({ pointer: '/parties/0/mailto', exists: false }), true)
    assert.equal(holds({ pointer: '/subject', equals: 'Sales call' }), true)
    assert.equal(holds({ pointer: '/subject', equals: 'sales call' }), false)
    assert.equal(
      holds({ pointer: '/parties/0', equals: { name: 'Alice', tel: '+15551230001' } }),
      true,
    )
    assert.equal(holds({ pointer: '/dialog/*/type', in: ['text', 'transfer'] }), true)
    assert.equal(holds({ pointer: '/dialog/*/type', in: ['transfer'] }), false)
    assert.equal(
      holds({ pointer: '/parties/*/mailto', matches: '@example\\.com$', flags: 'i' }),
      true,
    )
    assert.equal(holds({ pointer: '/parties/*/mailto', matches: '@example\\.com$' }), false)
    assert.equal(holds({ pointer: '/dialog/0/duration', gte: 42 }), true)
    assert.equal(holds({ pointer: '/dialog/0/duration', gt: 42 }), false)
    assert.equal(holds({ pointer: '/dialog/*/duration', lt: 10 }), true)
    assert.equal(holds({ pointer: '/dialog/*/duration', lte: 4 }), false)
    // Comparisons and regexes apply to their own types only.
    assert.equal(holds({ pointer: '/subject', gt: 0 }), false)
    assert.equal(holds({ pointer: '/dialog/0/duration', matches: '42' }), false)
  })

  test('tags: exists, value, shorthand', () => {
    const holds = (spec: unknown) => compileCondition(spec, 'when')(vcon)
    assert.equal(holds({ tag: 'category' }), true)
    assert.equal(holds({ tag: 'category', equals: 'sales' }), true)
    assert.equal(holds({ tag: 'category:sales' }), true)
    assert.equal(holds({ tag: 'category:support' }), false)
    assert.equal(holds({ tag: 'vip', equals: '' }), true)
    assert.equal(holds({ tag: 'missing' }), false)
    assert.equal(holds({ tag: 'missing', exists: false }), true)
    assert.equal(holds({ tag: 'constructor' }), false)
    assert.equal(holds({ tag: 'category', in: ['sales', 'support'] }), true)
  })

  test('all, any, not', () => {
    const holds = (spec: unknown) => compileCondition(spec, 'when')(vcon)
    const yes = { tag: 'category:sales' }
    const no = { pointer: '/nothing' }
    assert.equal(holds({ all: [yes, yes] }), true)
    assert.equal(holds({ all: [yes, no] }), false)
    assert.equal(holds({ any: [no, yes] }), true)
    assert.equal(holds({ any: [no, no] }), false)
    assert.equal(holds({ not: no }), true)
    assert.equal(holds({ not: { any: [yes] } }), false)
  })

  test('values are data, never code', () => {
    const holds = compileCondition({ pointer: '/subject', equals: 'process.exit(1)' }, 'when')
    assert.equal(holds({ ...vcon, subject: 'process.exit(1)' }), true)
    assert.equal(holds(vcon), false)
  })

  test('configuration errors name the exact key', () => {
    configError(
      () => compileCondition('subject == 1', 'when'),
      'options.when must be a condition object',
    )
    configError(
      () => compileCondition({ pointer: 'subject', exists: true }, 'when'),
      'options.when.pointer',
    )
    configError(
      () => compileCondition({ all: [{ tag: 'a' }, { pointer: '/x', eq: 1 }] }, 'when'),
      'options.when.all[1].eq',
    )
    configError(
      () => compileCondition({ pointer: '/x', equals: 1, in: [1] }, 'when'),
      'several operators',
    )
    configError(
      () => compileCondition({ pointer: '/x', matches: '(' }, 'when'),
      'options.when.matches is not a valid regular expression',
    )
    configError(
      () => compileCondition({ pointer: '/x', matches: 'a', flags: 'g' }, 'when'),
      'options.when.flags',
    )
    configError(
      () => compileCondition({ any: [] }, 'when'),
      'options.when.any must be a non-empty list',
    )
    configError(() => compileCondition({ tag: 'a', pointer: '/b' }, 'when'), 'mixes')
    configError(
      () => compileCondition({ pointer: '/x', gt: '3' }, 'routes[0].when'),
      'options.routes[0].when.gt must be a number',
    )
    let deep: unknown = { tag: 'a' }
    for (let i = 0; i < 40; i++) deep = { not: deep }
    configError(() => compileCondition(deep, 'when'), 'deeper than')
  })

  test('jsonEquals ignores key order and compares arrays by position', () => {
    assert.equal(jsonEquals({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 }), true)
    assert.equal(jsonEquals([1, 2], [2, 1]), false)
    assert.equal(jsonEquals({ a: 1 }, { a: 1, b: undefined }), false)
    assert.equal(jsonEquals(null, {}), false)
  })
})
