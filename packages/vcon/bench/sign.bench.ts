/**
 * @module Benchmark: signVcon and verifySignedVcon per second beside the raw node:crypto sign/verify on the same
 * key and the same signing-input bytes (goal: ratio ≥ 0.8), for RS256 and ES256, on the small spec vCon.
 * Run: cd packages/vcon && node --conditions=vconkit-source --import tsx bench/sign.bench.ts
 * Prints one JSON line per algorithm and operation (ops per CPU-second, median of interleaved rounds), with a
 * third column for a "minimal JWS" (raw operation plus the payload work any JWS code must do). Uses the test PKI
 * of test/fixtures/pki.
 */
import { constants, createPrivateKey, sign, verify, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { signVcon, verifySignedVcon } from '@vconkit/vcon'
import type { Vcon } from '../src/model/vcon.js'

const ROUNDS = 7
const ROUND_MS = 250

const pki = new URL('../test/fixtures/pki/', import.meta.url)
const pem = (file: string) => readFileSync(new URL(file, pki), 'utf8')
const VCON: Vcon = JSON.parse(
  readFileSync(
    new URL('../test/fixtures/corpus/spec-examples/ab_call_ext_rec.vcon', import.meta.url),
    'utf8',
  ),
)
const ROOT = new X509Certificate(pem('root.crt.pem'))
const INTERMEDIATE = new X509Certificate(pem('intermediate.crt.pem'))
const NOW = new Date('2030-01-01T00:00:00Z')

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

/**
 * Operations per second of `fn` over one round of about ROUND_MS, counted in this process's CPU time (user +
 * system) rather than wall time: the machine is shared, and wall time would charge other processes to us.
 */
async function opsPerSec(fn: () => unknown): Promise<number> {
  let n = 0
  const start = performance.now()
  const cpu = process.cpuUsage()
  while (performance.now() - start < ROUND_MS) {
    for (let i = 0; i < 16; i++) await fn()
    n += 16
  }
  const used = process.cpuUsage(cpu)
  return (n * 1e6) / (used.user + used.system)
}

async function compare(
  label: string,
  ours: () => unknown,
  raw: () => unknown,
  minimal: () => unknown,
) {
  for (let i = 0; i < 200; i++) {
    await ours()
    raw()
    minimal()
  }
  const o: number[] = []
  const r: number[] = []
  const m: number[] = []
  // Interleaved so that frequency drift and neighbours on the shared machine hit all variants alike.
  for (let round = 0; round < ROUNDS; round++) {
    r.push(await opsPerSec(raw))
    o.push(await opsPerSec(ours))
    m.push(await opsPerSec(minimal))
  }
  const oursOps = Math.round(median(o))
  const rawOps = Math.round(median(r))
  const minimalOps = Math.round(median(m))
  console.log(
    JSON.stringify({
      name: label,
      oursOpsPerSec: oursOps,
      rawOpsPerSec: rawOps,
      ratio: Math.round((oursOps / rawOps) * 1000) / 1000,
      minimalJwsOpsPerSec: minimalOps,
      ratioToMinimal: Math.round((oursOps / minimalOps) * 1000) / 1000,
    }),
  )
}

const CASES = [
  { alg: 'RS256', leaf: 'rsa', hash: 'sha256', options: { padding: constants.RSA_PKCS1_PADDING } },
  { alg: 'ES256', leaf: 'p256', hash: 'sha256', options: { dsaEncoding: 'ieee-p1363' } },
] as const

for (const c of CASES) {
  const key = createPrivateKey(pem(`${c.leaf}.key.pem`))
  const leaf = new X509Certificate(pem(`${c.leaf}.crt.pem`))
  const publicKey = leaf.publicKey
  const options = { key, chain: [leaf, INTERMEDIATE], alg: c.alg, now: () => NOW }
  const signed = signVcon(VCON, options)
  const sig = signed.signatures[0] as { protected: string; signature: string }
  const input = Buffer.from(`${sig.protected}.${signed.payload}`, 'ascii')
  const signature = Buffer.from(sig.signature, 'base64url')
  const verifyOptions = { anchors: [ROOT], at: NOW }

  // "minimal JWS": the least any JWS code must add to the raw operation. Sign: serialise the vCon, base64url it,
  // build the signing input, encode the signature. Verify: decode the signature, build the signing input,
  // verify, decode and JSON-parse the payload. No headers, chain, uuid or checks.
  const protectedB64 = sig.protected
  await compare(
    `${c.alg} sign`,
    () => signVcon(VCON, options),
    () => sign(c.hash, input, { key, ...c.options }),
    () => {
      const payload = Buffer.from(JSON.stringify(VCON)).toString('base64url')
      const data = Buffer.from(`${protectedB64}.${payload}`, 'latin1')
      return sign(c.hash, data, { key, ...c.options }).toString('base64url')
    },
  )
  await compare(
    `${c.alg} verify`,
    () => verifySignedVcon(signed, verifyOptions),
    () => verify(c.hash, input, { key: publicKey, ...c.options }, signature),
    () => {
      const bytes = Buffer.from(sig.signature, 'base64url')
      const data = Buffer.from(`${sig.protected}.${signed.payload}`, 'latin1')
      if (!verify(c.hash, data, { key: publicKey, ...c.options }, bytes)) throw new Error('bad')
      return JSON.parse(Buffer.from(signed.payload, 'base64url').toString('utf8'))
    },
  )
}
