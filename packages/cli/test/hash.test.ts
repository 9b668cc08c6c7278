import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { runCli, SPEC, STACK_FRAME } from './support/run-cli.js'

const MP3 = join(SPEC, 'ab_call.mp3')

/** The content_hash the core draft's example gives the recording it points at. */
async function exampleHash(): Promise<string> {
  const vcon = JSON.parse(await readFile(join(SPEC, 'ab_call_ext_rec.vcon'), 'utf8'))
  return vcon.dialog[0].content_hash
}

describe('vcon hash', () => {
  test('prints the content_hash the spec example gives ab_call.mp3', async () => {
    const expected = await exampleHash()
    assert.match(expected, /^sha512-/)
    const run = await runCli(['hash', MP3])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stdout, `${expected}\n`)
    assert.equal(run.stderr, '')
  })

  test('hashes standard input and other algorithms', async () => {
    const run = await runCli(['hash', '--alg', 'sha256', '-'], { input: 'abc' })
    assert.equal(run.code, 0)
    // FIPS 180-2's "abc" vector, as unpadded base64url.
    assert.equal(run.stdout, 'sha256-ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0\n')
  })

  test('--check exits 0 on a match and 1 on a mismatch', async () => {
    const token = await exampleHash()
    const good = await runCli(['hash', '--check', token, MP3])
    assert.equal(good.code, 0, good.stderr)
    assert.match(good.stdout, /^OK {3}.*ab_call\.mp3 matches \(sha512\)$/m)
    const wav = await runCli(['hash', '--check', token, join(SPEC, 'ab_call.wav')])
    assert.equal(wav.code, 1)
    assert.match(wav.stdout, /^FAIL .*ab_call\.wav: the sha512 digest does not match the content$/m)
  })

  test('usage errors exit 2 without a stack trace', async () => {
    const unknownAlg = await runCli(['hash', '--check', 'md5-abc', MP3])
    assert.equal(unknownAlg.code, 2)
    assert.match(
      unknownAlg.stderr,
      /^vcon: --check: no content_hash token uses a supported algorithm/,
    )
    const badAlg = await runCli(['hash', '--alg', 'sha1', MP3])
    assert.equal(badAlg.code, 2)
    assert.match(badAlg.stderr, /--alg must be one of sha512, sha384, sha256; got 'sha1'/)
    const both = await runCli(['hash', '--alg', 'sha256', '--check', 'sha256-x', MP3])
    assert.equal(both.code, 2)
    const missing = await runCli(['hash', 'no-such.mp3'])
    assert.equal(missing.code, 2)
    assert.equal(missing.stderr, 'vcon: cannot read no-such.mp3: no such file or directory\n')
    for (const run of [unknownAlg, badAlg, both, missing]) {
      assert.equal(run.stdout, '')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    }
  })
})
