import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { NIL_SESSION_UUID, parseSessionIdString } from './from-0.3.0.js'
import { upgradeVcon } from './upgrade-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const LOCAL = 'ab30317f1a784dc48ff824d0d3715d86'
const REMOTE = '47755a9de7794ba387653f2099600ef2'

describe('0.3.0 → 0.4.0: appended, must_support', () => {
  test('appended (an object) becomes amended', () => {
    const r = upgradeVcon({ vcon: '0.3.0', uuid: UUID, appended: { uuid: UUID } })
    assert.deepEqual(r.vcon.amended, { uuid: UUID })
    assert.equal(Object.hasOwn(r.vcon, 'appended'), false)
    const found = r.issues.filter((i) => i.pointer === '/appended')
    assert.equal(found.length, 1)
    assert.equal(found[0]?.code, 'renamed-field')
    assert.equal(found[0]?.message, 'renamed appended to amended (0.3.0 name)')
  })

  test('appended: null and appended: {} are dropped with dropped-empty', () => {
    for (const appended of [null, {}]) {
      const r = upgradeVcon({ vcon: '0.3.0', uuid: UUID, appended })
      assert.equal(Object.hasOwn(r.vcon, 'appended'), false)
      assert.equal(Object.hasOwn(r.vcon, 'amended'), false)
      assert.deepEqual(
        r.issues.filter((i) => i.pointer === '/appended').map((i) => i.code),
        ['dropped-empty'],
      )
    }
  })

  test('must_support and must_understand merge into critical without duplicates', () => {
    const r = upgradeVcon({
      vcon: '0.3.0',
      uuid: UUID,
      critical: ['a'],
      must_support: ['b', 'a'],
      must_understand: ['c', 'b'],
    })
    assert.deepEqual(r.vcon.critical, ['a', 'b', 'c'])
    assert.equal(Object.hasOwn(r.vcon, 'must_support'), false)
    assert.equal(Object.hasOwn(r.vcon, 'must_understand'), false)
    assert.equal(r.issues.find((i) => i.pointer === '/must_support')?.code, 'renamed-field')
    assert.equal(r.issues.find((i) => i.pointer === '/must_understand')?.code, 'renamed-field')
  })

  test('must_support alone is renamed to critical', () => {
    const r = upgradeVcon({ vcon: '0.3.0', uuid: UUID, must_support: ['x'] })
    assert.deepEqual(r.vcon.critical, ['x'])
    assert.equal(
      r.issues.find((i) => i.pointer === '/must_support')?.message,
      'renamed must_support to critical (0.3.0 name)',
    )
  })
})

describe('0.3.0 → 0.4.0: session_id', () => {
  test('an RFC 7989 value splits into local and remote', () => {
    assert.deepEqual(parseSessionIdString(`${LOCAL};remote=${REMOTE}`), {
      local: LOCAL,
      remote: REMOTE,
    })
    assert.deepEqual(parseSessionIdString(` ${LOCAL} ; foo=1 ; Remote = ${REMOTE}`), {
      local: LOCAL,
      remote: REMOTE,
    })
  })

  test('a bare value becomes local, with the nil UUID as remote', () => {
    assert.deepEqual(parseSessionIdString(LOCAL), { local: LOCAL, remote: NIL_SESSION_UUID })
    assert.equal(NIL_SESSION_UUID, '0'.repeat(32))
    assert.deepEqual(parseSessionIdString(''), {})
  })

  test('string session_ids are converted at the top and inside channel arrays', () => {
    const r = upgradeVcon({
      vcon: '0.3.0',
      uuid: UUID,
      dialog: [
        { type: 'recording', session_id: `${LOCAL};remote=${REMOTE}` },
        {
          type: 'recording',
          parties: [0, [1, 2]],
          session_id: [LOCAL, [REMOTE, { local: LOCAL }]],
        },
      ],
    })
    const dialogs = r.vcon.dialog as Record<string, unknown>[]
    assert.deepEqual(dialogs[0]?.session_id, { local: LOCAL, remote: REMOTE })
    assert.deepEqual(dialogs[1]?.session_id, [
      { local: LOCAL, remote: NIL_SESSION_UUID },
      [{ local: REMOTE, remote: NIL_SESSION_UUID }, { local: LOCAL }],
    ])
    const pointers = r.issues.filter((i) => i.code === 'converted-session-id').map((i) => i.pointer)
    assert.deepEqual(pointers, [
      '/dialog/0/session_id',
      '/dialog/1/session_id/0',
      '/dialog/1/session_id/1/0',
    ])
    assert.match(
      r.issues.find((i) => i.pointer === '/dialog/1/session_id/0')?.message ?? '',
      /remote is the nil UUID/,
    )
  })
})

test('must_support: null or [] names nothing and is dropped', () => {
  const r = upgradeVcon({ vcon: '0.3.0', uuid: UUID, must_support: null, must_understand: [] })
  assert.equal(Object.hasOwn(r.vcon, 'critical'), false)
  assert.equal(Object.hasOwn(r.vcon, 'must_support'), false)
  assert.equal(Object.hasOwn(r.vcon, 'must_understand'), false)
  assert.deepEqual(
    r.issues.filter((i) => i.pointer !== '/vcon').map((i) => [i.pointer, i.code]),
    [
      ['/must_support', 'dropped-empty'],
      ['/must_understand', 'dropped-empty'],
    ],
  )
})
