import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { REPO_ROOT, runCli, SPEC, STACK_FRAME, tempDir } from './support/run-cli.js'
import { CERTS, pkiCert, pkiKey, writeChain } from './support/security-fixtures.js'

const ENCRYPTED = join(SPEC, 'ab_call_ext_rec_encrypted.vcon')
const GRP_KEY = join(CERTS, 'fake_grp.key')
const ROOT = join(CERTS, 'fake_ca_root.crt')
const AT = '2025-01-01T00:00:00Z'
const SUPPORT_CALL = join(REPO_ROOT, 'examples/support-call.vcon.json')

async function json(path: string): Promise<unknown> {
  return JSON.parse(await readFile(path, 'utf8'))
}

describe('vcon decrypt: the core draft encrypted example', () => {
  test('decrypts with fake_grp.key to the signed vCon of the draft', async () => {
    const run = await runCli(['decrypt', '--key', GRP_KEY, ENCRYPTED])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    assert.deepEqual(
      JSON.parse(run.stdout),
      await json(join(SPEC, 'ab_call_ext_rec_decrypted.vcon')),
    )
  })

  test('with --trust it also verifies and prints the unsigned vCon', async () => {
    const run = await runCli([
      'decrypt',
      '--key',
      GRP_KEY,
      '--trust',
      ROOT,
      '--legacy-v1-ca',
      '--at',
      AT,
      ENCRYPTED,
    ])
    assert.equal(run.code, 0, run.stderr)
    assert.deepEqual(
      JSON.parse(run.stdout),
      await json(join(SPEC, 'ab_call_ext_rec_decrypted_verified.vcon')),
    )
    assert.match(
      run.stderr,
      /^vcon: verified: signed by .*CN=grp\.div\.fakevcon\.io.* \(RS256\)\n$/,
    )
  })

  test('with the wrong root the signature is refused after decrypting (exit 1)', async () => {
    const run = await runCli([
      'decrypt',
      '--key',
      GRP_KEY,
      '--trust',
      join(CERTS, 'fake_ca2_root.crt'),
      '--legacy-v1-ca',
      '--at',
      AT,
      ENCRYPTED,
    ])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /^vcon: cannot decrypt and verify .*ab_call_ext_rec_encrypted\.vcon: .*not one of the configured trust anchors/,
    )
  })

  test('a key that is not a recipient is refused (exit 1)', async () => {
    const run = await runCli(['decrypt', '--key', join(CERTS, 'fake_div.key'), ENCRYPTED])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^vcon: cannot decrypt .*ab_call_ext_rec_encrypted\.vcon: /)
    assert.doesNotMatch(run.stderr, STACK_FRAME)
  })

  test('a signed input has nothing to decrypt (exit 1)', async () => {
    const run = await runCli([
      'decrypt',
      '--key',
      GRP_KEY,
      join(SPEC, 'ab_call_ext_rec_signed.vcon'),
    ])
    assert.equal(run.code, 1)
    assert.match(
      run.stderr,
      /is signed \(JWS\): there is nothing to decrypt; check its signature with vcon verify/,
    )
  })
})

describe('vcon sign → encrypt → decrypt --trust with the test PKI', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  before(async () => {
    dir = await tempDir()
  })
  after(async () => {
    await dir.cleanup()
  })

  for (const [recipient, alg, enc] of [
    ['rsa', 'RSA-OAEP-256', 'A256GCM'],
    ['p256', 'ECDH-ES+A256KW', 'A256CBC-HS512'],
  ] as const) {
    test(`round trip to a ${recipient} recipient (${alg}, ${enc})`, async () => {
      const chain = await writeChain(dir.path, 'rsa')
      const signed = await runCli(['sign', '--key', pkiKey('rsa'), '--chain', chain, SUPPORT_CALL])
      assert.equal(signed.code, 0, signed.stderr)
      const encrypted = await runCli(
        ['encrypt', '--to', pkiCert(recipient), '--alg', alg, '--enc', enc, '-'],
        { input: signed.stdout },
      )
      assert.equal(encrypted.code, 0, encrypted.stderr)
      const jwe = JSON.parse(encrypted.stdout)
      assert.equal(typeof jwe.ciphertext, 'string')
      assert.equal(jwe.recipients.length, 1)
      // Nothing of the vCon is readable in the JWE.
      assert.doesNotMatch(encrypted.stdout, /Maria Lopez|\+15550100142/)
      const protectedHeader = JSON.parse(Buffer.from(jwe.protected, 'base64url').toString())
      assert.equal(protectedHeader.enc, enc)

      const [plain, verified, wrongKey] = await Promise.all([
        runCli(['decrypt', '--key', pkiKey(recipient), '-'], { input: encrypted.stdout }),
        runCli(['decrypt', '--key', pkiKey(recipient), '--trust', pkiCert('root'), '-'], {
          input: encrypted.stdout,
        }),
        runCli(['decrypt', '--key', pkiKey('p384'), '-'], { input: encrypted.stdout }),
      ])
      assert.equal(plain.code, 0, plain.stderr)
      assert.deepEqual(JSON.parse(plain.stdout), JSON.parse(signed.stdout))
      assert.equal(verified.code, 0, verified.stderr)
      assert.deepEqual(JSON.parse(verified.stdout), await json(SUPPORT_CALL))
      assert.equal(
        verified.stderr,
        'vcon: verified: signed by O=vconkit tests, CN=rsa.signer.test (RS256)\n',
      )
      assert.equal(wrongKey.code, 1)
    })
  }

  test('two recipients can each decrypt', async () => {
    const chain = await writeChain(dir.path, 'p256')
    const signed = await runCli(['sign', '--key', pkiKey('p256'), '--chain', chain, SUPPORT_CALL])
    const encrypted = await runCli(
      ['encrypt', '--to', pkiCert('rsa'), '--to', pkiCert('p384'), '-'],
      { input: signed.stdout },
    )
    assert.equal(encrypted.code, 0, encrypted.stderr)
    assert.equal(JSON.parse(encrypted.stdout).recipients.length, 2)
    const runs = await Promise.all(
      ['rsa', 'p384'].map((name) =>
        runCli(['decrypt', '--key', pkiKey(name), '--trust', pkiCert('root'), '-'], {
          input: encrypted.stdout,
        }),
      ),
    )
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr)
      assert.deepEqual(JSON.parse(run.stdout), await json(SUPPORT_CALL))
    }
  })

  test('an unsigned vCon is refused with the advice to sign it first (exit 1)', async () => {
    const run = await runCli(['encrypt', '--to', pkiCert('rsa'), SUPPORT_CALL])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /^vcon: .*support-call\.vcon\.json is not signed: the core draft \(§5\.3\) requires signing before encrypting; sign it first: vcon sign /,
    )
  })
})

describe('usage errors of encrypt and decrypt', () => {
  test('missing --key or --to, unknown flags and unreadable keys exit 2 without a stack trace', async () => {
    const runs = await Promise.all([
      runCli(['decrypt', ENCRYPTED]),
      runCli(['encrypt', join(SPEC, 'ab_call_ext_rec_signed.vcon')]),
      runCli(['decrypt', '--key', GRP_KEY, '--frobnicate', ENCRYPTED]),
      runCli(['decrypt', '--key', 'no-such.key', ENCRYPTED]),
      runCli(['encrypt', '--to', pkiCert('rsa'), '--enc', 'A128GCM', SUPPORT_CALL]),
      runCli(['decrypt', '--key', GRP_KEY, '--legacy-v1-ca', ENCRYPTED]),
    ])
    const [noKey, noTo, unknown, missingKey, badEnc, legacyAlone] = runs
    assert.match(noKey?.stderr ?? '', /^vcon: decrypt needs --key KEY\.pem\nusage: vcon decrypt /)
    assert.match(noTo?.stderr ?? '', /^vcon: encrypt needs --to CERT\.pem/)
    assert.match(unknown?.stderr ?? '', /^vcon: unknown option '--frobnicate'/)
    assert.equal(
      missingKey?.stderr,
      'vcon: cannot read --key no-such.key: no such file or directory\n',
    )
    assert.match(badEnc?.stderr ?? '', /--enc must be one of A256CBC-HS512, A256GCM; got 'A128GCM'/)
    assert.match(
      legacyAlone?.stderr ?? '',
      /^vcon: --legacy-v1-ca and --at apply to .*; give --trust ANCHORS\.pem/,
    )
    for (const run of runs) {
      assert.equal(run.code, 2, run.stderr)
      assert.equal(run.stdout, '')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    }
  })
})
