/**
 * @module Test helper: the key material the security commands are tested with, all from
 * packages/vcon/test/fixtures: the core draft's certificates (corpus/certs) and the project's test PKI (pki/:
 * root → intermediate → leaves), plus chain files assembled in a temporary folder.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { CORPUS, REPO_ROOT } from './run-cli.js'

/** The vcon-dev/vcon test certificates of the core draft's signed and encrypted examples. */
export const CERTS = join(CORPUS, 'certs')
/** The test PKI made by packages/vcon/test/fixtures/pki/make-pki.sh. */
export const PKI = join(REPO_ROOT, 'packages/vcon/test/fixtures/pki')
/** The test CA of the local HTTPS server (packages/vcon/test/fixtures/tls). */
export const TLS_CA = join(REPO_ROOT, 'packages/vcon/test/fixtures/tls/ca.crt')

/** `<name>.crt.pem` / `<name>.key.pem` of the test PKI. */
export function pkiCert(name: string): string {
  return join(PKI, `${name}.crt.pem`)
}
export function pkiKey(name: string): string {
  return join(PKI, `${name}.key.pem`)
}

/** Writes the chain of a leaf (leaf, then the intermediate; root left out, as x5c usually is) to `dir`. */
export async function writeChain(dir: string, leaf: string): Promise<string> {
  const path = join(dir, `${leaf}-chain.pem`)
  const parts = await Promise.all([readFile(pkiCert(leaf)), readFile(pkiCert('intermediate'))])
  await writeFile(path, Buffer.concat(parts))
  return path
}
