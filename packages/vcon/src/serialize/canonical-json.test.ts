import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isVconError } from '../errors/vcon-error.js'
import { canonicalJson } from './canonical-json.js'

/** The IEEE 754 double with the given 16-hex-digit bit pattern (how RFC 8785 Appendix B lists its inputs). */
function fromBits(hex: string): number {
  const view = new DataView(new ArrayBuffer(8))
  view.setBigUint64(0, BigInt(`0x${hex}`))
  return view.getFloat64(0)
}

function throwsCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (err: unknown) => isVconError(err) && err.code === code)
}

describe('canonicalJson numbers (RFC 8785 Appendix B)', () => {
  const cases: [string, string][] = [
    ['0000000000000000', '0'],
    ['8000000000000000', '0'],
    ['0000000000000001', '5e-324'],
    ['8000000000000001', '-5e-324'],
    ['7fefffffffffffff', '1.7976931348623157e+308'],
    ['ffefffffffffffff', '-1.7976931348623157e+308'],
    ['4340000000000000', '9007199254740992'],
    ['c340000000000000', '-9007199254740992'],
    ['4430000000000000', '295147905179352830000'],
    ['44b52d02c7e14af5', '9.999999999999997e+22'],
    ['44b52d02c7e14af6', '1e+23'],
    ['44b52d02c7e14af7', '1.0000000000000001e+23'],
    ['444b1ae4d6e2ef4e', '999999999999999700000'],
    ['444b1ae4d6e2ef4f', '999999999999999900000'],
    ['444b1ae4d6e2ef50', '1e+21'],
    ['3eb0c6f7a0b5ed8c', '9.999999999999997e-7'],
    ['3eb0c6f7a0b5ed8d', '0.000001'],
    ['41b3de4355555553', '333333333.3333332'],
    ['41b3de4355555554', '333333333.33333325'],
    ['41b3de4355555555', '333333333.3333333'],
    ['41b3de4355555556', '333333333.3333334'],
    ['41b3de4355555557', '333333333.33333343'],
    ['becbf647612f3696', '-0.0000033333333333333333'],
    ['43143ff3c1cb0959', '1424953923781206.2'],
  ]
  for (const [bits, expected] of cases) {
    test(`${bits} -> ${expected}`, () => {
      assert.equal(canonicalJson(fromBits(bits)), expected)
    })
  }

  test('NaN and the infinities are refused', () => {
    throwsCode(() => canonicalJson(fromBits('7fffffffffffffff')), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson(fromBits('7ff0000000000000')), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson({ a: [Number.NEGATIVE_INFINITY] }), 'VCON_BAD_ARGUMENT')
  })

  test('-0 inside a structure is written as 0', () => {
    assert.equal(canonicalJson({ a: -0, b: [-0] }), '{"a":0,"b":[0]}')
  })
})

describe('canonicalJson structure', () => {
  test('RFC 8785 §3.2.2 example (literals, numbers, string escapes)', () => {
    const input = JSON.parse(
      '{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],' +
        '"string":"\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        '"literals":[null,true,false]}',
    )
    assert.equal(
      canonicalJson(input),
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    )
  })

  test('RFC 8785 §3.2.3 sorting example: UTF-16 code units, not code points', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    const out = canonicalJson(input)
    const order = Object.keys(JSON.parse(out) as object)
    // JSON.parse puts the integer-like key "1" first whatever the text says, so read the order from the text.
    const textOrder = [...out.matchAll(/"((?:[^"\\]|\\.)*)":/g)].map((m) => JSON.parse(`"${m[1]}"`))
    assert.deepEqual(textOrder, ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'])
    assert.equal(order.length, 7)
  })

  test('no whitespace, nested sorting, arrays keep their order', () => {
    assert.equal(
      canonicalJson({ b: [3, 1, { z: 1, a: 2 }], a: 'x' }),
      '{"a":"x","b":[3,1,{"a":2,"z":1}]}',
    )
    assert.equal(canonicalJson([]), '[]')
    assert.equal(canonicalJson({}), '{}')
    assert.equal(canonicalJson('é'), '"é"')
    assert.equal(canonicalJson('\u2028'), '"\u2028"')
  })

  test('undefined object members are skipped; other non-JSON values are refused', () => {
    assert.equal(canonicalJson({ a: undefined, b: 1 }), '{"b":1}')
    throwsCode(() => canonicalJson([undefined]), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson(undefined), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson({ a: 1n }), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson({ a: new Date(0) }), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson({ a: () => 1 }), 'VCON_BAD_ARGUMENT')
  })

  test('lone surrogates are refused, pairs are kept', () => {
    throwsCode(() => canonicalJson('\ud800'), 'VCON_BAD_ARGUMENT')
    throwsCode(() => canonicalJson({ '\udc00x': 1 }), 'VCON_BAD_ARGUMENT')
    assert.equal(canonicalJson('\ud83d\ude00'), '"\ud83d\ude00"')
  })

  test('a cycle is refused', () => {
    const a: Record<string, unknown> = {}
    a.self = a
    throwsCode(() => canonicalJson(a), 'VCON_BAD_ARGUMENT')
  })

  test('shared (non-cyclic) references are fine', () => {
    const shared = { x: 1 }
    assert.equal(canonicalJson({ a: shared, b: shared }), '{"a":{"x":1},"b":{"x":1}}')
  })

  test('100k levels of nesting throw VCON_TOO_DEEP instead of overflowing the stack', () => {
    let deep: unknown = 0
    for (let i = 0; i < 100_000; i++) deep = i % 2 === 0 ? [deep] : { k: deep }
    throwsCode(() => canonicalJson(deep), 'VCON_TOO_DEEP')
  })

  test('maxDepth is honoured exactly', () => {
    assert.equal(canonicalJson([[1]], { maxDepth: 2 }), '[[1]]')
    throwsCode(() => canonicalJson([[[1]]], { maxDepth: 2 }), 'VCON_TOO_DEEP')
  })

  test('property: output parses back to the same value, and is independent of key order', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const out = canonicalJson(value)
        // JSON.stringify also maps -0 to 0, so the round trip compares against that.
        assert.deepEqual(JSON.parse(out), JSON.parse(JSON.stringify(value)))
        const reversed = JSON.parse(JSON.stringify(value), (_k, v: unknown) =>
          v !== null && typeof v === 'object' && !Array.isArray(v)
            ? Object.fromEntries(Object.entries(v).reverse())
            : v,
        )
        assert.equal(canonicalJson(reversed), out)
      }),
    )
  })
})
