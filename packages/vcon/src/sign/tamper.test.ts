/**
 * Property tests: whatever the vCon content, sign → verify round-trips, and any single-character change of
 * the payload, protected header or signature is refused (strict base64url makes even pad-bit edits visible).
 */
import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { chainOf, pkiKey, ROOT } from '../../test/support/pki.js'
import type { SignedVcon, Vcon } from '../model/vcon.js'
import { decodeBase64url } from './base64url.js'
import { signVcon } from './sign-vcon.js'
import { verifySignedVcon } from './verify-vcon.js'

const NOW = new Date('2030-01-01T00:00:00Z')
const SIGNER = { key: pkiKey('p256'), chain: chainOf('p256'), now: () => NOW }
const ANCHORS = { anchors: [ROOT], at: NOW }
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'

const vconArb = fc.record({
  uuid: fc.uuid(),
  subject: fc.string({ maxLength: 40 }),
  parties: fc.array(
    fc.record({ name: fc.string({ maxLength: 20 }), tel: fc.string({ maxLength: 15 }) }),
    {
      maxLength: 3,
    },
  ),
  extra: fc.jsonValue({ maxDepth: 2 }),
})

describe('tamper properties', () => {
  test('sign then verify returns the same vCon', async () => {
    await fc.assert(
      fc.asyncProperty(vconArb, fc.boolean(), async (value, gzip) => {
        const vcon = JSON.parse(JSON.stringify(value)) as Vcon
        const result = await verifySignedVcon(signVcon(vcon, { ...SIGNER, gzip }), ANCHORS)
        assert.deepEqual(result.vcon, vcon)
      }),
      { numRuns: 60 },
    )
  })

  test('changing any one character of payload, protected or signature is refused', async () => {
    await fc.assert(
      fc.asyncProperty(
        vconArb,
        fc.constantFrom('payload', 'protected', 'signature'),
        fc.nat(),
        fc.integer({ min: 1, max: 63 }),
        async (value, member, at, shift) => {
          const signed = signVcon(JSON.parse(JSON.stringify(value)) as Vcon, SIGNER)
          const sig = signed.signatures[0] as {
            protected: string
            header: Record<string, unknown>
            signature: string
          }
          const text = member === 'payload' ? signed.payload : sig[member]
          const i = at % text.length
          const next = ALPHABET[(ALPHABET.indexOf(text.charAt(i)) + shift) % 64] as string
          const changed = text.slice(0, i) + next + text.slice(i + 1)
          const tampered: SignedVcon =
            member === 'payload'
              ? { ...signed, payload: changed }
              : { ...signed, signatures: [{ ...sig, [member]: changed }] }
          await assert.rejects(verifySignedVcon(tampered, ANCHORS), (error: { code?: string }) =>
            /^VCON_(SIGNATURE_INVALID|ALG_REFUSED|NOT_JSON|BAD_ENCODING)$/.test(error.code ?? ''),
          )
        },
      ),
      { numRuns: 150 },
    )
  })

  test('decodeBase64url accepts exactly canonical unpadded base64url (RFC 4648 §3.5, §5)', () => {
    // The definition, written out independently of the decoder: alphabet only, no length of 4n+1, and the
    // bits of the last character beyond the encoded bytes all zero.
    const canonical = (s: string): boolean => {
      const rest = s.length % 4
      if (rest === 1 || ![...s].every((c) => ALPHABET.includes(c))) return false
      if (rest === 0) return true
      return (ALPHABET.indexOf(s.charAt(s.length - 1)) & (rest === 2 ? 0x0f : 0x03)) === 0
    }
    const accepted = (s: string): boolean => {
      try {
        decodeBase64url(s, 'x', 'VCON_SIGNATURE_INVALID')
        return true
      } catch {
        return false
      }
    }
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...ALPHABET, '=', '+', '/', ' ', '\u0141', '\u00c1', '\u0000'),
          maxLength: 12,
        }),
        (s) => assert.equal(accepted(s), canonical(s), JSON.stringify(s)),
      ),
      { numRuns: 3000 },
    )
  })
})
