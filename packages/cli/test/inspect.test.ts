import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { INVALID_FIXTURES, REAL, REPO_ROOT, runCli, SPEC, STACK_FRAME } from './support/run-cli.js'

const SUPPORT_CALL = 'examples/support-call.vcon.json'
const MEETING = join(REAL, 'vcon-dev+ietf-meeting-vcons/ietf122/ietf122_sml_33910.vcon.json')

describe('vcon inspect', () => {
  test('summarises the bundled example: header, parties, dialogs, analyses, attachments', async () => {
    const run = await runCli(['inspect', SUPPORT_CALL])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    const out = run.stdout
    assert.match(out, /^File {8}examples\/support-call\.vcon\.json$/m)
    assert.match(out, /^Form {8}unsigned$/m)
    assert.match(out, /^Version {5}0\.4\.0$/m)
    assert.match(out, /^UUID {8}019ce2a1-5b3c-8f2e-9a41-6d2f0c8e7b15$/m)
    assert.match(out, /^Extensions {2}none$/m)
    assert.match(out, /^Parties \(2\)$/m)
    assert.match(out, /^ {2}0 +Maria Lopez +\+15550100142 +- +type person$/m)
    assert.match(out, /^ {2}1 +Sam Okafor +- +sam\.okafor@support\.example\.com /m)
    // Durations as m:ss, per dialog and in all.
    assert.match(out, /^Dialogs \(2, 4:12 in all\)$/m)
    assert.match(
      out,
      /^ {2}0 +recording +2026-03-12T14:03:07\.000Z +4:12 +0, 1 +audio\/x-wav, url media\.support\.example\.com, sha512$/m,
    )
    assert.match(
      out,
      /^ {2}1 +text +2026-03-12T14:08:30\.000Z +- +1, 0 +text\/plain, inline 205 B$/m,
    )
    assert.match(out, /^Analyses \(3\)$/m)
    assert.match(out, /^ {2}1 +summary +example-ai +summarizer-3 +0, 1 /m)
    assert.match(
      out,
      /^ {2}0 +tags +1 +0 +2026-03-12T14:12:40\.000Z +tags: queue=internet-support, /m,
    )
    assert.match(out, /^Warnings: none$/m)
  })

  test('--transcript adds who said what, in time order', async () => {
    const run = await runCli(['inspect', '--transcript', SUPPORT_CALL])
    assert.equal(run.code, 0)
    const transcript = run.stdout.slice(run.stdout.indexOf('\nTranscript\n'))
    assert.match(transcript, /^ {2}Sam: Thank you for calling Example Broadband/m)
    assert.match(transcript, /^ {2}Sam Okafor: Hi Maria, this is Sam/m)
    const plain = await runCli(['inspect', SUPPORT_CALL])
    assert.doesNotMatch(plain.stdout, /Transcript/)
  })

  test('a legacy file is shown upgraded, with its warnings', async () => {
    const run = await runCli(['inspect', 'examples/legacy-0.0.1.vcon.json'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^Version {5}0\.4\.0 \(upgraded from 0\.0\.1\)$/m)
    assert.match(run.stdout, /^ {2}0 +Jordan Blake +\+15550100177 +- +role customer$/m)
    assert.match(run.stdout, /^Warnings \(\d+\)$/m)
    assert.match(run.stdout, /^ {2}\/created_at +assumed-utc +warning +/m)
  })

  test('long tables stop after 25 rows unless --all', async () => {
    const short = await runCli(['inspect', MEETING])
    assert.equal(short.code, 0)
    assert.match(short.stdout, /^Dialogs \(1, 1:30:00 in all\)$/m)
    assert.match(short.stdout, /^ {2}0 +video +/m)
    const more = /^ {2}… and (\d+) more \(use --all to list them\)$/m.exec(short.stdout)
    assert.ok(more !== null, 'the warnings list is cut')
    const full = await runCli(['inspect', '--all', MEETING])
    assert.doesNotMatch(full.stdout, /use --all/)
    const warnings = /^Warnings \((\d+)\)$/m.exec(full.stdout)
    assert.equal(Number(warnings?.[1]), 25 + Number(more[1]))
  })

  test('a signed vCon is summarised from its headers', async () => {
    const run = await runCli(['inspect', join(SPEC, 'ab_call_ext_rec_signed.vcon')])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^Form {8}signed \(JWS\), signature not checked$/m)
    assert.match(run.stdout, /^UUID {8}019f15a6-a752-826f-b9a2-279e0d16bc46$/m)
    assert.match(run.stdout, /^ {2}0 +RS256 +x5c chain of 3 certificates$/m)
  })

  test('an encrypted vCon is summarised without decrypting it', async () => {
    const run = await runCli(['inspect', join(SPEC, 'ab_call_ext_rec_encrypted.vcon')])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^Form {8}encrypted \(JWE\), not decrypted$/m)
    assert.match(run.stdout, /^Content {5}enc A256CBC-HS512, cty application\/vcon\+json$/m)
    assert.match(run.stdout, /^ {2}0 +RSA-OAEP /m)
  })

  test('reads standard input', async () => {
    const input = await readFile(join(REPO_ROOT, SUPPORT_CALL))
    const run = await runCli(['inspect', '-'], { input })
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^File {8}<stdin>$/m)
    assert.match(run.stdout, /Maria Lopez/)
  })

  test('an invalid vCon exits 1 with its errors on stderr', async () => {
    const run = await runCli(['inspect', join(INVALID_FIXTURES, 'bad_party_ref.json')])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /bad_party_ref\.json is not a valid vCon: 1 error\n {2}\/dialog\/0\/parties\/1 +party-index-out-of-range/,
    )
  })

  test('strict mode refuses a legacy file', async () => {
    const run = await runCli(['inspect', '--strict', 'examples/legacy-0.0.1.vcon.json'])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /^ {2}\/vcon +version-not-current +error/m)
  })

  test('a non-JSON input is reported in one line, without a stack', async () => {
    const run = await runCli(['inspect', '-'], { input: 'hello' })
    assert.equal(run.code, 1)
    assert.match(run.stderr, /^vcon: <stdin>: The input is not JSON .*\n$/)
    assert.doesNotMatch(run.stderr, STACK_FRAME)
  })
})
