import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import fc from 'fast-check'
import { corpusPath } from '../../test/corpus.js'
import { VconError } from '../errors/vcon-error.js'
import { parseVcon } from './parse-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'
const VALID = {
  vcon: '0.4.0',
  uuid: UUID,
  created_at: '2025-03-04T10:31:03Z',
  parties: [{ tel: '+12025550123' }],
}

function codeOf(fn: () => unknown): string {
  try {
    fn()
  } catch (error) {
    assert.ok(error instanceof VconError, `expected a VconError, got ${String(error)}`)
    return error.code
  }
  assert.fail('expected an error')
}

describe('parseVcon: inputs and forms', () => {
  test('string, bytes, gzipped bytes and object give the same vCon', () => {
    const text = JSON.stringify(VALID)
    const inputs = [text, Buffer.from(text), gzipSync(text), new Uint8Array(gzipSync(text)), VALID]
    for (const input of inputs) {
      const parsed = parseVcon(input, { mode: 'strict' })
      assert.equal(parsed.form, 'unsigned')
      if (parsed.form === 'unsigned') assert.deepEqual(parsed.vcon, VALID)
    }
  })

  test('a UTF-8 byte order mark is ignored', () => {
    const parsed = parseVcon(`\ufeff${JSON.stringify(VALID)}`, { mode: 'strict' })
    assert.equal(parsed.form, 'unsigned')
  })

  test('the signed and encrypted spec examples are recognised, with their uuid header', () => {
    const signed = parseVcon(readFileSync(corpusPath('spec-examples/ab_call_ext_rec_signed.vcon')))
    assert.equal(signed.form, 'signed')
    assert.equal(signed.uuid, UUID)
    const encrypted = parseVcon(
      readFileSync(corpusPath('spec-examples/ab_call_ext_rec_encrypted.vcon')),
    )
    assert.equal(encrypted.form, 'encrypted')
    assert.equal(encrypted.uuid, UUID)
  })

  test('a malformed JWS envelope is refused with pointers', () => {
    const error = (() => {
      try {
        parseVcon({ payload: 'not base64!', signatures: [{ signature: 5 }] })
      } catch (e) {
        return e as VconError
      }
      return undefined
    })()
    assert.equal(error?.code, 'VCON_INVALID')
    const pointers = error?.issues.map((i) => i.pointer)
    assert.deepEqual(pointers, ['/payload', '/signatures/0/signature'])
  })

  test('with freeze the result is frozen; the caller’s object is neither frozen nor changed', () => {
    const input = structuredClone({
      ...VALID,
      vcon: '0.0.1',
      dialog: [{ type: 'text', mimetype: 'text/plain' }],
    })
    const before = structuredClone(input)
    const parsed = parseVcon(input, { freeze: true })
    assert.deepEqual(input, before)
    assert.equal(Object.isFrozen(input), false)
    assert.equal(Object.isFrozen(input.dialog[0]), false)
    if (parsed.form !== 'unsigned') assert.fail('expected unsigned')
    assert.ok(Object.isFrozen(parsed.vcon))
    assert.ok(Object.isFrozen(parsed.vcon.dialog?.[0]))
    assert.equal(parsed.vcon.dialog?.[0]?.mediatype, 'text/plain')
    assert.equal(parsed.sourceVersion, '0.0.1')
  })

  test('strict mode does not upgrade; lenient mode does and reports each repair', () => {
    const legacy = { ...VALID, vcon: '0.0.1', appended: { uuid: UUID } }
    assert.equal(
      codeOf(() => parseVcon(legacy, { mode: 'strict' })),
      'VCON_INVALID',
    )
    const parsed = parseVcon(legacy)
    if (parsed.form !== 'unsigned') assert.fail('expected unsigned')
    assert.deepEqual(parsed.vcon.amended, { uuid: UUID })
    assert.ok(parsed.issues.some((i) => i.pointer === '/appended' && i.code === 'renamed-field'))
  })

  test('an unsupported critical extension has its own error code', () => {
    const v = { ...VALID, extensions: ['acme_secret'], critical: ['acme_secret'] }
    assert.equal(
      codeOf(() => parseVcon(v)),
      'VCON_CRITICAL_UNSUPPORTED',
    )
    assert.equal(
      codeOf(() => parseVcon({ ...VALID, must_understand: ['acme_secret'] })),
      'VCON_CRITICAL_UNSUPPORTED',
    )
  })
})

describe('parseVcon: bad input gets a clear error and no crash', () => {
  test('not JSON', () => {
    assert.equal(
      codeOf(() => parseVcon('{"parties": [')),
      'VCON_NOT_JSON',
    )
    assert.equal(
      codeOf(() => parseVcon('')),
      'VCON_NOT_JSON',
    )
    assert.equal(
      codeOf(() => parseVcon(Buffer.from([0xff, 0xfe, 0x00]))),
      'VCON_BAD_ENCODING',
    )
    assert.equal(
      codeOf(() => parseVcon(Buffer.from([0x1f, 0x8b, 1, 2, 3]))),
      'VCON_BAD_ENCODING',
    )
  })

  test('JSON that is not an object, or an object that is not a vCon', () => {
    for (const text of ['[]', '1', '"x"', 'null', 'true']) {
      assert.equal(
        codeOf(() => parseVcon(text)),
        'VCON_NOT_A_VCON',
      )
    }
    const error = (() => {
      try {
        parseVcon(readFileSync(corpusPath('spec-examples/simple-vcon.vcon')))
      } catch (e) {
        return e as VconError
      }
      return undefined
    })()
    assert.equal(error?.code, 'VCON_NOT_A_VCON')
    assert.match(error?.message ?? '', /none of parties, dialog, analysis, attachments/)
  })

  test('100,000 levels of nesting', () => {
    const deep = `{"parties":[],"uuid":"${UUID}","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`
    assert.equal(
      codeOf(() => parseVcon(deep)),
      'VCON_TOO_DEEP',
    )
    const deepObject = JSON.parse(deep)
    assert.equal(
      codeOf(() => parseVcon(deepObject)),
      'VCON_TOO_DEEP',
    )
    assert.equal(
      codeOf(() => parseVcon(`${'['.repeat(100_000)}${']'.repeat(100_000)}`)),
      'VCON_NOT_A_VCON',
    )
  })

  test('a 100 MB string is refused by the size limit, and parses when the limit allows it', () => {
    const big = 'a'.repeat(100 * 1024 * 1024)
    const text = JSON.stringify({ ...VALID, subject: big })
    assert.equal(
      codeOf(() => parseVcon(text)),
      'VCON_TOO_LARGE',
    )
    assert.equal(
      codeOf(() => parseVcon(Buffer.from(text))),
      'VCON_TOO_LARGE',
    )
    const parsed = parseVcon(text, { maxBytes: 200 * 1024 * 1024 })
    assert.equal(parsed.form === 'unsigned' && parsed.vcon.subject?.length, big.length)
  })

  test('a gzip bomb is stopped at the size limit', () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20))
    assert.equal(
      codeOf(() => parseVcon(bomb, { maxBytes: 1024 * 1024 })),
      'VCON_TOO_LARGE',
    )
  })

  test('keys named __proto__ and constructor do not pollute prototypes', () => {
    const text = `{"uuid":"${UUID}","created_at":"2025-03-04T10:31:03Z","parties":[{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":2}},"tel":"+1"}],"__proto__":{"polluted":3},"dialog":[{"type":"text","__proto__":{"x":1}}]}`
    const parsed = parseVcon(text)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
    assert.equal(
      Object.getPrototypeOf(parsed.form === 'unsigned' ? parsed.vcon : {}),
      Object.prototype,
    )
    if (parsed.form !== 'unsigned') assert.fail('expected unsigned')
    const party = parsed.vcon.parties?.[0] as Record<string, unknown>
    assert.ok(Object.hasOwn(party, '__proto__'), '__proto__ is kept as a data key')
    assert.equal(Object.getPrototypeOf(party), Object.prototype)
    const fromObject = parseVcon(JSON.parse(text))
    assert.ok(Object.hasOwn((fromObject as { vcon: Record<string, unknown> }).vcon, '__proto__'))
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })

  test('arbitrary JSON gives a vCon or a VconError, nothing else', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseVcon(JSON.stringify(value))
        } catch (error) {
          return error instanceof VconError
        }
        return true
      }),
      { numRuns: 500 },
    )
  })

  test('arbitrary objects shaped like vCons give a vCon or a VconError', () => {
    const anyValue = fc.jsonValue({ maxDepth: 3 })
    const entry = fc.dictionary(
      fc.constantFrom(
        'type',
        'start',
        'parties',
        'body',
        'encoding',
        'url',
        'mimetype',
        'party',
        'dialog',
        'vendor',
      ),
      anyValue,
    )
    const vconLike = fc.record(
      {
        vcon: fc.constantFrom('0.0.1', '0.0.2', '0.3.0', '0.4.0', '1.0', '', 5),
        uuid: fc.oneof(fc.uuid(), anyValue),
        parties: fc.oneof(fc.array(entry), anyValue),
        dialog: fc.oneof(fc.array(entry), anyValue),
        analysis: fc.oneof(fc.array(entry), anyValue),
        attachments: fc.oneof(fc.array(entry), anyValue),
        redacted: anyValue,
        appended: anyValue,
        must_support: anyValue,
      },
      { requiredKeys: ['parties'] },
    )
    fc.assert(
      fc.property(vconLike, fc.constantFrom('strict', 'lenient'), (value, mode) => {
        try {
          parseVcon(value, { mode: mode as 'strict' | 'lenient' })
        } catch (error) {
          return error instanceof VconError
        }
        return true
      }),
      { numRuns: 1000 },
    )
  })
})
