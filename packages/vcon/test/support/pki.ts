/**
 * @module The test PKI of test/fixtures/pki (regenerate with make-pki.sh): root → intermediate → leaves with
 * RSA-2048, P-256, P-384 and Ed25519 keys, an expired leaf, an unrelated root and a certificate issued by a
 * non-CA. Test material only.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'

const dir = new URL('../fixtures/pki/', import.meta.url)

/** Leaf names of the fixture PKI that sign, with the algorithm each one uses. */
export const LEAVES = [
  { name: 'rsa', alg: 'RS256' },
  { name: 'rsa', alg: 'PS256' },
  { name: 'p256', alg: 'ES256' },
  { name: 'p384', alg: 'ES384' },
  { name: 'ed25519', alg: 'EdDSA' },
] as const

/** PEM text of a fixture file. */
export function pkiPem(file: string): string {
  return readFileSync(new URL(file, dir), 'utf8')
}

/** `<name>.crt.pem` as a certificate. */
export function pkiCert(name: string): X509Certificate {
  return new X509Certificate(pkiPem(`${name}.crt.pem`))
}

/** `<name>.key.pem` as a private key. */
export function pkiKey(name: string): KeyObject {
  return createPrivateKey(pkiPem(`${name}.key.pem`))
}

/** The root certificate that anchors every chain of the fixture PKI. */
export const ROOT = pkiCert('root')

/** The intermediate CA between the root and the leaves. */
export const INTERMEDIATE = pkiCert('intermediate')

/** The chain of a leaf, leaf first, root excluded (as x5c usually carries it). */
export function chainOf(name: string): X509Certificate[] {
  return [pkiCert(name), INTERMEDIATE]
}
