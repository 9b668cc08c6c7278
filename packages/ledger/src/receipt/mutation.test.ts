import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { decodeSign1 } from '../cose/sign1.js'
import { isLedgerError } from '../errors/ledger-error.js'
import { generateSigningKey, publicPart } from '../keys/generate-key.js'
import { MerkleTree } from '../merkle/tree.js'
import { hashPreimage } from '../statement/hash-envelope.js'
import { statementLeafHash } from '../statement/leaf.js'
import { createSignedStatement, verifySignedStatement } from '../statement/signed-statement.js'
import { createReceiptFromTree, verifyReceipt } from './inclusion-receipt.js'
import { attachReceipt, verifyTransparentStatement } from './transparent-statement.js'

const issuerKey = generateSigningKey()
const logKey = generateSigningKey('EdDSA')
const issuerKeys = [publicPart(issuerKey)]
const logKeys = [publicPart(logKey)]
const statement = createSignedStatement({
  payloadHash: hashPreimage(new Uint8Array([1, 2, 3])),
  preimageContentType: 'application/vcon-lifecycle+json',
  iss: 'https://issuer.example',
  sub: 'urn:uuid:0190e5a8-7c4b-8d2e-9f10-123456789abc',
  iat: 1777888800,
  key: issuerKey,
})
const tree = new MerkleTree()
for (let i = 0; i < 6; i++) tree.append(new Uint8Array([i]))
const index = tree.appendLeafHash(statementLeafHash(statement))
tree.append(new Uint8Array([9]))
const receipt = createReceiptFromTree(tree, index, {
  issuer: 'https://ledger.example',
  key: logKey,
})
const transparent = attachReceipt(statement, receipt)

/** Applies byte edits: set, insert or delete at positions. */
const edits = fc.array(
  fc.record({
    at: fc.nat(),
    value: fc.integer({ min: 0, max: 255 }),
    kind: fc.constantFrom('set', 'insert', 'delete'),
  }),
  { minLength: 1, maxLength: 4 },
)

function mutate(
  bytes: Uint8Array,
  list: { at: number; value: number; kind: string }[],
): Uint8Array {
  const out = [...bytes]
  for (const { at, value, kind } of list) {
    const i = at % (out.length + 1)
    if (kind === 'set' && i < out.length) out[i] = value
    else if (kind === 'insert') out.splice(i, 0, value)
    else if (kind === 'delete' && out.length > 1) out.splice(i % out.length, 1)
  }
  return Uint8Array.from(out)
}

const same = (a: Uint8Array, b: Uint8Array) =>
  a.length === b.length && a.every((x, i) => x === b[i])

describe('mutated inputs (fuzz)', () => {
  test('a mutated receipt is refused with a LedgerError, never accepted, never another error', () => {
    fc.assert(
      fc.property(edits, (list) => {
        const bytes = mutate(receipt, list)
        fc.pre(!same(bytes, receipt))
        try {
          verifyReceipt(bytes, { statement, logKeys })
        } catch (e) {
          assert.ok(isLedgerError(e), String(e))
          return
        }
        // Only an edit that leaves the signed content and proof intact may pass (none exists for byte edits
        // of a deterministic encoding, except re-encodings the strict decoder refuses).
        assert.fail(`accepted a mutated receipt: ${Buffer.from(bytes).toString('hex')}`)
      }),
      { numRuns: 1500 },
    )
  })

  test('a mutated statement is refused with a LedgerError', () => {
    fc.assert(
      fc.property(edits, (list) => {
        const bytes = mutate(statement, list)
        fc.pre(!same(bytes, statement))
        assert.throws(
          () => verifySignedStatement(bytes, { issuerKeys }),
          (e: unknown) => isLedgerError(e),
        )
      }),
      { numRuns: 1500 },
    )
  })

  test('a mutated transparent statement throws a LedgerError or reports no valid receipt', () => {
    fc.assert(
      fc.property(edits, (list) => {
        const bytes = mutate(transparent, list)
        fc.pre(!same(bytes, transparent))
        try {
          const verdict = verifyTransparentStatement(bytes, { issuerKeys, logKeys })
          // The unprotected header is not signed: edits there may leave the statement valid, but then the
          // receipt they touched must fail (or the edit hit nothing the receipt depends on).
          if (verdict.valid)
            assert.ok(same(decodeSign1(bytes).signature, decodeSign1(statement).signature))
        } catch (e) {
          assert.ok(isLedgerError(e), String(e))
        }
      }),
      { numRuns: 1500 },
    )
  })

  test('arbitrary bytes never crash the decoder with anything but a LedgerError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          decodeSign1(bytes)
        } catch (e) {
          assert.ok(isLedgerError(e), String(e))
        }
      }),
      { numRuns: 3000 },
    )
  })
})
