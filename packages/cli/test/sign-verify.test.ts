import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { REPO_ROOT, runCli, SPEC, STACK_FRAME, tempDir } from './support/run-cli.js'
import { CERTS, pkiCert, pkiKey, writeChain } from './support/security-fixtures.js'

const SIGNED = join(SPEC, 'ab_call_ext_rec_signed.vcon')
const ROOT = join(CERTS, 'fake_ca_root.crt')
const OTHER_ROOT = join(CERTS, 'fake_ca2_root.crt')
/** Inside the spec certificates' validity (2022-06-04 to 2032-06-01), so that the tests do not expire. */
const AT = '2025-01-01T00:00:00Z'
const SUPPORT_CALL = join(REPO_ROOT, 'examples/support-call.vcon.json')

describe('vcon verify: the core draft signed example', () => {
  test('verifies with fake_ca_root.crt and --legacy-v1-ca and prints the signer', async () => {
    const run = await runCli(['verify', '--trust', ROOT, '--legacy-v1-ca', '--at', AT, SIGNED])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    assert.match(run.stdout, /^Verified {4}.*ab_call_ext_rec_signed\.vcon$/m)
    assert.match(run.stdout, /^UUID {8}019f15a6-a752-826f-b9a2-279e0d16bc46$/m)
    assert.match(run.stdout, /^ {2}Subject {5}.*CN=grp\.div\.fakevcon\.io/m)
    assert.match(run.stdout, /^ {2}Algorithm {3}RS256$/m)
    assert.match(run.stdout, /^ {2}Signed at {3}unknown/m)
    assert.match(run.stdout, /^ {2}Checked at {2}2025-01-01T00:00:00\.000Z$/m)
    assert.match(run.stdout, /^ {14}.*CN=fakevcon\.io.* \(trust anchor\)$/m)
  })

  test('--json gives the signer as one JSON object', async () => {
    const run = await runCli([
      'verify',
      '--json',
      '--trust',
      ROOT,
      '--legacy-v1-ca',
      '--at',
      AT,
      SIGNED,
    ])
    assert.equal(run.code, 0, run.stderr)
    const lines = run.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 1)
    const record = JSON.parse(run.stdout)
    assert.equal(record.verified, true)
    assert.equal(record.file, SIGNED)
    assert.equal(record.uuid, '019f15a6-a752-826f-b9a2-279e0d16bc46')
    assert.equal(record.signer.alg, 'RS256')
    assert.match(record.signer.subject, /CN=grp\.div\.fakevcon\.io/)
    assert.deepEqual(
      record.signer.chain.map((s: string) => /CN=([^,]+)/.exec(s)?.[1]),
      ['grp.div.fakevcon.io', 'div.fakevcon.io', 'fakevcon.io'],
    )
    assert.equal(record.signer.signingTime, null)
    assert.equal(record.signer.notAfter, '2032-06-01T01:43:25.000Z')
    assert.equal(record.signer.checkedAt, '2025-01-01T00:00:00.000Z')
    assert.equal(record.layers.length, 1)
    assert.deepEqual(record.layers[0].signers[0], record.signer)
  })

  test('is refused (exit 1) with fake_ca2_root.crt as the trust anchor', async () => {
    const run = await runCli([
      'verify',
      '--trust',
      OTHER_ROOT,
      '--legacy-v1-ca',
      '--at',
      AT,
      SIGNED,
    ])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /^vcon: .*ab_call_ext_rec_signed\.vcon: not verified: .*not one of the configured trust anchors/,
    )
    assert.match(run.stderr, /with --trust/)
    const json = await runCli(['verify', '--json', '--trust', OTHER_ROOT, '--legacy-v1-ca', SIGNED])
    assert.equal(json.code, 1)
    const record = JSON.parse(json.stdout)
    assert.equal(record.verified, false)
    assert.equal(record.code, 'untrusted')
  })

  test('without --legacy-v1-ca the v1 intermediate is refused and the flag is named', async () => {
    const run = await runCli(['verify', '--trust', ROOT, '--at', AT, SIGNED])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /X\.509 v1 certificate/)
    assert.match(run.stderr, /pass --legacy-v1-ca\.\n$/)
    assert.doesNotMatch(run.stderr, /allowLegacyV1Ca/)
  })

  test('after the certificates expire (--at 2033) it is refused', async () => {
    const run = await runCli([
      'verify',
      '--trust',
      ROOT,
      '--legacy-v1-ca',
      '--at',
      '2033-01-01',
      SIGNED,
    ])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /not verified/)
  })

  test('an altered payload is refused', async () => {
    const jws = JSON.parse(await readFile(SIGNED, 'utf8'))
    const inner = JSON.parse(Buffer.from(jws.payload, 'base64url').toString('utf8'))
    inner.parties[0].tel = '+15555550100'
    const forged = { ...jws, payload: Buffer.from(JSON.stringify(inner)).toString('base64url') }
    const run = await runCli(['verify', '--trust', ROOT, '--legacy-v1-ca', '--at', AT, '-'], {
      input: JSON.stringify(forged),
    })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /^vcon: <stdin>: not verified: /)
  })

  test('an unsigned or encrypted input is refused with the way forward', async () => {
    const [unsigned, encrypted] = await Promise.all([
      runCli(['verify', '--trust', ROOT, SUPPORT_CALL]),
      runCli(['verify', '--trust', ROOT, join(SPEC, 'ab_call_ext_rec_encrypted.vcon')]),
    ])
    assert.equal(unsigned.code, 1)
    assert.match(unsigned.stderr, /not verified: it is not signed/)
    assert.equal(encrypted.code, 1)
    assert.match(
      encrypted.stderr,
      /it is encrypted \(JWE\): decrypt and verify it with vcon decrypt/,
    )
  })
})

describe('vcon sign → vcon verify with the test PKI', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  before(async () => {
    dir = await tempDir()
  })
  after(async () => {
    await dir.cleanup()
  })

  for (const [leaf, alg] of [
    ['rsa', 'PS256'],
    ['p256', 'ES256'],
    ['ed25519', 'EdDSA'],
  ] as const) {
    test(`${leaf} key, ${alg}: the signed vCon verifies against the test root only`, async () => {
      const chain = await writeChain(dir.path, leaf)
      const sign = await runCli([
        'sign',
        '--key',
        pkiKey(leaf),
        '--chain',
        chain,
        '--alg',
        alg,
        SUPPORT_CALL,
      ])
      assert.equal(sign.code, 0, sign.stderr)
      assert.equal(sign.stderr, '')
      const jws = JSON.parse(sign.stdout)
      assert.equal(typeof jws.payload, 'string')
      assert.equal(jws.signatures.length, 1)
      assert.equal(jws.signatures[0].header.uuid, '019ce2a1-5b3c-8f2e-9a41-6d2f0c8e7b15')
      assert.equal(jws.signatures[0].header.x5c.length, 2)
      const header = JSON.parse(Buffer.from(jws.signatures[0].protected, 'base64url').toString())
      assert.equal(header.alg, alg)
      const signedPath = join(dir.path, `${leaf}.jws`)
      await writeFile(signedPath, sign.stdout)

      const [verify, other] = await Promise.all([
        runCli(['verify', '--json', '--trust', pkiCert('root'), signedPath]),
        runCli(['verify', '--trust', pkiCert('other-root'), signedPath]),
      ])
      assert.equal(verify.code, 0, verify.stdout)
      const record = JSON.parse(verify.stdout)
      assert.equal(record.signer.subject, `O=vconkit tests, CN=${leaf}.signer.test`)
      assert.equal(record.signer.alg, alg)
      assert.equal(record.signer.signingTimeSource, 'iat')
      assert.equal(record.uuid, '019ce2a1-5b3c-8f2e-9a41-6d2f0c8e7b15')
      assert.equal(other.code, 1)
    })
  }

  test('--payload prints the vCon exactly as signed', async () => {
    const chain = await writeChain(dir.path, 'rsa')
    const sign = await runCli([
      'sign',
      '--gzip',
      '--key',
      pkiKey('rsa'),
      '--chain',
      chain,
      SUPPORT_CALL,
    ])
    assert.equal(sign.code, 0, sign.stderr)
    const run = await runCli(['verify', '--payload', '--trust', pkiCert('root'), '-'], {
      input: sign.stdout,
    })
    assert.equal(run.code, 0, run.stderr)
    assert.deepEqual(JSON.parse(run.stdout), JSON.parse(await readFile(SUPPORT_CALL, 'utf8')))
    assert.equal(
      run.stderr,
      'vcon: verified: signed by O=vconkit tests, CN=rsa.signer.test (RS256)\n',
    )
  })

  test('a signed input is re-signed as an archive layer, verified first with --trust', async () => {
    const chain = await writeChain(dir.path, 'rsa')
    const inner = await runCli(['sign', '--key', pkiKey('rsa'), '--chain', chain, SUPPORT_CALL])
    assert.equal(inner.code, 0, inner.stderr)
    const archiveChain = await writeChain(dir.path, 'p384')
    const outer = await runCli(
      ['sign', '--key', pkiKey('p384'), '--chain', archiveChain, '--trust', pkiCert('root'), '-'],
      { input: inner.stdout },
    )
    assert.equal(outer.code, 0, outer.stderr)
    // The new payload is the earlier JWS itself.
    const payload = JSON.parse(
      Buffer.from(JSON.parse(outer.stdout).payload, 'base64url').toString(),
    )
    assert.deepEqual(payload, JSON.parse(inner.stdout))
    const verify = await runCli(['verify', '--json', '--trust', pkiCert('root'), '-'], {
      input: outer.stdout,
    })
    assert.equal(verify.code, 0, verify.stdout)
    const record = JSON.parse(verify.stdout)
    assert.equal(record.layers.length, 2)
    assert.equal(record.layers[0].wrapsSignedVcon, true)
    assert.equal(record.layers[0].signers[0].subject, 'O=vconkit tests, CN=p384.signer.test')
    assert.equal(record.signer.subject, 'O=vconkit tests, CN=rsa.signer.test')

    // Re-signing something whose signature does not check out against --trust is refused.
    const refused = await runCli(
      [
        'sign',
        '--key',
        pkiKey('p384'),
        '--chain',
        archiveChain,
        '--trust',
        pkiCert('other-root'),
        '-',
      ],
      { input: inner.stdout },
    )
    assert.equal(refused.code, 1)
    assert.equal(refused.stdout, '')
    assert.match(refused.stderr, /^vcon: <stdin>: not re-signed, its signature does not verify: /)
  })

  test('wrong key material exits 2 with a message naming the option', async () => {
    const chain = await writeChain(dir.path, 'rsa')
    const expiredChain = await writeChain(dir.path, 'expired')
    const [mismatch, notKey, expired, badAlg] = await Promise.all([
      runCli(['sign', '--key', pkiKey('p256'), '--chain', chain, SUPPORT_CALL]),
      runCli(['sign', '--key', pkiCert('rsa'), '--chain', chain, SUPPORT_CALL]),
      runCli(['sign', '--key', pkiKey('expired'), '--chain', expiredChain, SUPPORT_CALL]),
      runCli(['sign', '--key', pkiKey('rsa'), '--chain', chain, '--alg', 'HS256', SUPPORT_CALL]),
    ])
    assert.equal(mismatch.code, 2)
    assert.match(mismatch.stderr, /^vcon: cannot sign: .*--key/)
    assert.equal(notKey.code, 2)
    assert.match(notKey.stderr, /^vcon: --key .*rsa\.crt\.pem is not a readable private key/)
    assert.equal(expired.code, 2)
    assert.match(
      expired.stderr,
      /^vcon: cannot sign: the leaf certificate .* is valid from 2020-01-01/,
    )
    assert.equal(badAlg.code, 2)
    assert.match(
      badAlg.stderr,
      /--alg must be one of RS256, PS256, ES256, ES384, EdDSA; got 'HS256'/,
    )
    for (const run of [mismatch, notKey, expired, badAlg]) {
      assert.equal(run.stdout, '')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    }
  })

  test('an encrypted input cannot be signed (exit 1)', async () => {
    const chain = await writeChain(dir.path, 'rsa')
    const run = await runCli([
      'sign',
      '--key',
      pkiKey('rsa'),
      '--chain',
      chain,
      join(SPEC, 'ab_call_ext_rec_encrypted.vcon'),
    ])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /is encrypted \(JWE\): decrypt it first/)
  })
})

describe('usage errors of sign and verify', () => {
  test('a missing --key, --chain or --trust, an unknown flag or a bad --at exit 2 without a stack trace', async () => {
    const runs = await Promise.all([
      runCli(['sign', '--chain', pkiCert('rsa'), SUPPORT_CALL]),
      runCli(['sign', '--key', pkiKey('rsa'), SUPPORT_CALL]),
      runCli(['verify', SIGNED]),
      runCli(['verify', '--trust', ROOT, '--frobnicate', SIGNED]),
      runCli(['verify', '--trust', ROOT, '--at', 'yesterday', SIGNED]),
      runCli(['verify', '--trust', 'no-such-root.pem', SIGNED]),
      runCli(['verify', '--trust', SUPPORT_CALL, SIGNED]),
      runCli(['verify', '--trust', ROOT, '--json', '--payload', SIGNED]),
    ])
    const [noKey, noChain, noTrust, unknown, badAt, missingTrust, notPem, both] = runs
    assert.match(noKey?.stderr ?? '', /^vcon: sign needs --key KEY\.pem\nusage: vcon sign /)
    assert.match(noChain?.stderr ?? '', /^vcon: sign needs --chain CHAIN\.pem\n/)
    assert.match(noTrust?.stderr ?? '', /^vcon: verify needs --trust ANCHORS\.pem/)
    assert.match(unknown?.stderr ?? '', /^vcon: unknown option '--frobnicate'\nusage: vcon verify /)
    assert.match(badAt?.stderr ?? '', /--at must be an ISO date/)
    assert.match(
      missingTrust?.stderr ?? '',
      /^vcon: cannot read --trust no-such-root\.pem: no such file or directory\n$/,
    )
    assert.match(
      notPem?.stderr ?? '',
      /^vcon: --trust .*support-call\.vcon\.json: No "-----BEGIN CERTIFICATE-----" block found/,
    )
    assert.match(both?.stderr ?? '', /--json and --payload exclude each other/)
    for (const run of runs) {
      assert.equal(run.code, 2, run.stderr)
      assert.equal(run.stdout, '')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    }
  })

  test('help sign and help verify document the exit statuses', async () => {
    const [sign, verify] = await Promise.all([
      runCli(['help', 'sign']),
      runCli(['verify', '--help']),
    ])
    assert.match(sign.stdout, /^usage: vcon sign --key KEY\.pem --chain CHAIN\.pem/)
    assert.match(sign.stdout, /--legacy-v1-ca/)
    assert.match(verify.stdout, /^usage: vcon verify --trust ANCHORS\.pem/)
    assert.match(verify.stdout, /Exit status:\n {2}0 {2}verified/)
  })
})
