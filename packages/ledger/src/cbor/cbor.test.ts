import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { isLedgerError } from '../errors/ledger-error.js'
import { fromHex, toHex } from '../internal/bytes.js'
import { decodeStrict } from './decode.js'
import { byteStringHead, encodeDeterministic } from './encode.js'
import {
  asLabelMap,
  optionalBytes,
  optionalInt,
  optionalText,
  optionalUint,
  required,
} from './label-map.js'

const invalid = (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_CBOR_INVALID'

describe('encodeDeterministic (RFC 8949 §4.2.1)', () => {
  test('sorts map keys bytewise: the ordering example of RFC 8949 §4.2.1', () => {
    // RFC 8949 §4.2.1 lists 10, 100, -1, "z", "aa", [100], [-1], false as correctly sorted (array keys are
    // left out here: no COSE structure uses them and cborg's RFC 8949 sorter does not take them).
    const map = new Map<unknown, unknown>([
      ['aa', 0],
      [false, 0],
      [100, 0],
      [-1, 0],
      ['z', 0],
      [10, 0],
    ])
    assert.equal(
      toHex(encodeDeterministic(map)),
      'a60a00186400200061 7a00626161 00f400'.replace(/ /g, ''),
    )
  })

  test('COSE labels: 258 sorts before -1 (bytewise 0x19 < 0x20), unlike length-first order', () => {
    const map = new Map<number, unknown>([
      [-1, 1],
      [258, -16],
      [1, -7],
    ])
    assert.equal(toHex(encodeDeterministic(map)), 'a30126190102 2f2001'.replace(/ /g, ''))
  })

  test('integers and lengths take their shortest form', () => {
    assert.equal(toHex(encodeDeterministic(23)), '17')
    assert.equal(toHex(encodeDeterministic(24)), '1818')
    assert.equal(toHex(encodeDeterministic(-25)), '3818')
    assert.equal(toHex(encodeDeterministic(2 ** 32)), '1b0000000100000000')
    assert.equal(toHex(encodeDeterministic(new Uint8Array(24))).slice(0, 4), '5818')
  })

  test('a Buffer encodes as a byte string', () => {
    assert.equal(toHex(encodeDeterministic(Buffer.from([1, 2]))), '420102')
  })

  test('floats, non-safe integers, undefined and bigints are refused', () => {
    for (const value of [1.5, 2 ** 60, undefined, 10n, [Number.NaN]]) {
      assert.throws(
        () => encodeDeterministic(value),
        (e: unknown) => isLedgerError(e) && e.code === 'LEDGER_BAD_ARGUMENT',
        String(value),
      )
    }
  })
})

describe('decodeStrict', () => {
  test('maps decode as Maps with integer keys intact', () => {
    const value = decodeStrict(fromHex('a201260442 3131'.replace(/ /g, '')))
    assert.ok(value instanceof Map)
    assert.equal(value.get(1), -7)
    assert.deepEqual(value.get(4), new TextEncoder().encode('11'))
  })

  const refused: [string, string][] = [
    ['non-minimal integer', '1801'],
    ['non-minimal length', '5801aa'],
    ['non-minimal negative', '3800'],
    ['duplicate map key', 'a201010102'],
    ['indefinite array', '9f01ff'],
    ['indefinite map', 'bf0101ff'],
    ['indefinite byte string', '5f4101ff'],
    ['trailing bytes', '0101'],
    ['any tag', 'c11a514b67b0'],
    ['tag 18 inside', '81d28401'],
    ['half float', 'f93c00'],
    ['double float', 'fb3ff8000000000000'],
    ['undefined', 'f7'],
    ['simple value', 'f0'],
    ['integer beyond 2^53', '1b0020000000000001'],
    ['invalid UTF-8', '62c328'],
    ['lone surrogate in UTF-8', '63eda080'],
    ['truncated', '5820aa'],
    ['empty input', ''],
    ['stray break', 'ff'],
  ]
  for (const [name, hex] of refused) {
    test(`refuses ${name}`, () => {
      assert.throws(() => decodeStrict(fromHex(hex)), invalid)
    })
  }

  test('deterministic option refuses unsorted map keys that plain strict decoding accepts', () => {
    const unsorted = fromHex('a2200101 01'.replace(/ /g, '')) // {-1: 1, 1: 1}
    assert.ok(decodeStrict(unsorted) instanceof Map)
    assert.throws(() => decodeStrict(unsorted, { deterministic: true }), invalid)
    decodeStrict(fromHex('a2010120 01'.replace(/ /g, '')), { deterministic: true })
  })

  test('round trip: whatever we encode decodes strictly to an equal value', () => {
    const leaf = fc.oneof(
      fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
      fc.string(),
      fc.uint8Array({ maxLength: 40 }),
      fc.boolean(),
      fc.constant(null),
    )
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { maxLength: 4 }),
        fc
          .uniqueArray(
            fc.tuple(fc.oneof(fc.integer({ min: -300, max: 300 }), fc.string()), tie('node')),
            {
              maxLength: 4,
              selector: ([k]) => k,
            },
          )
          .map((entries) => new Map(entries)),
      ),
    })).node
    fc.assert(
      fc.property(value, (v) => {
        const bytes = encodeDeterministic(v)
        const back = decodeStrict(bytes, { deterministic: true })
        assert.deepEqual(back, v)
        assert.deepEqual(encodeDeterministic(back), bytes)
      }),
      { numRuns: 300 },
    )
  })
})

describe('label maps', () => {
  const ctx = { where: 'test header', code: 'LEDGER_COSE_MALFORMED' as const }

  test('typed readers return values, undefined when absent, and throw on a wrong type', () => {
    const map = asLabelMap(
      new Map<number | string, unknown>([
        [1, -7],
        [4, new Uint8Array([1])],
        ['x', 'text'],
      ]),
      ctx,
    )
    assert.equal(optionalInt(map, 1, ctx), -7)
    assert.equal(optionalInt(map, 2, ctx), undefined)
    assert.deepEqual(optionalBytes(map, 4, ctx), new Uint8Array([1]))
    assert.equal(optionalText(map, 'x', ctx), 'text')
    assert.throws(() => optionalUint(map, 1, ctx), /unsigned/)
    assert.throws(() => optionalText(map, 1, ctx), /text string/)
    assert.throws(() => optionalBytes(map, 1, ctx), /byte string/)
    assert.throws(() => required(undefined, 7, ctx), /must carry label 7/)
  })

  test('asLabelMap refuses non-maps and byte-string keys', () => {
    assert.throws(() => asLabelMap([], ctx), /must be a CBOR map/)
    assert.throws(() => asLabelMap(new Map([[new Uint8Array(1), 1]]), ctx), /neither int nor text/)
  })
})

describe('byteStringHead', () => {
  test('matches the encoder for every length class', () => {
    for (const length of [0, 23, 24, 255, 256, 65535, 65536]) {
      const encoded = encodeDeterministic(new Uint8Array(length))
      const head = byteStringHead(length)
      assert.equal(toHex(head), toHex(encoded.subarray(0, head.length)), `length ${length}`)
      assert.equal(encoded.length, head.length + length)
    }
    assert.equal(toHex(byteStringHead(2 ** 32)), '5b0000000100000000')
  })
})
