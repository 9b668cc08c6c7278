import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { signVcon, verifySignedVcon } from '@vconkit/vcon'
const pki = new URL('../test/fixtures/pki/', import.meta.url)
const pem = (file: string) => readFileSync(new URL(file, pki), 'utf8')
const VCON = JSON.parse(readFileSync(new URL('../test/fixtures/corpus/spec-examples/ab_call_ext_rec.vcon', import.meta.url), 'utf8'))
const ROOT = new X509Certificate(pem('root.crt.pem'))
const INTERMEDIATE = new X509Certificate(pem('intermediate.crt.pem'))
const NOW = new Date('2030-01-01T00:00:00Z')
const which = process.argv[2]
const leafName = which === 'rs' ? 'rsa' : 'p256'
const key = createPrivateKey(pem(`${leafName}.key.pem`))
const leaf = new X509Certificate(pem(`${leafName}.crt.pem`))
const options = { key, chain: [leaf, INTERMEDIATE], alg: which === 'rs' ? 'RS256' : 'ES256', now: () => NOW } as const
const signed = signVcon(VCON, options)
const t = performance.now(); let n = 0
while (performance.now() - t < 5000) {
  for (let i = 0; i < 100; i++) {
    if (which === 'rs') await verifySignedVcon(signed, { anchors: [ROOT], at: NOW })
    else signVcon(VCON, options)
  }
  n += 100
}
console.log(which, n / 5)
