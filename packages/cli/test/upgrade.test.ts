import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import { INVALID_FIXTURES, REAL, REPO_ROOT, runCli, SPEC, STACK_FRAME } from './support/run-cli.js'

const LEGACY = 'examples/legacy-0.0.1.vcon.json'
const FAKE_001 = join(
  REAL,
  'vcon-dev+fake-vcons/2025/03/17/2b401b26-1189-4b35-8264-844e1e0b2249.vcon.json',
)

/** Every key name used anywhere in a JSON value. */
function keysIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const item of value) keysIn(item, into)
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      into.add(key)
      keysIn(item, into)
    }
  }
  return into
}

describe('vcon upgrade', () => {
  test('prints the 0.4.0 vCon on stdout and the repairs on stderr', async () => {
    const run = await runCli(['upgrade', LEGACY])
    assert.equal(run.code, 0, run.stderr)
    const vcon = JSON.parse(run.stdout)
    assert.equal(vcon.vcon, '0.4.0')
    assert.equal(vcon.uuid, '8f3c1a2e-6b7d-4e9f-a1c2-3d4e5f607182')
    assert.equal(vcon.created_at, '2023-05-02T10:15:00.000Z')
    assert.equal(vcon.dialog[0].mediatype, 'text/plain')
    assert.equal(vcon.dialog[0].encoding, 'none')
    assert.equal(keysIn(vcon).has('mimetype'), false)
    assert.equal('redacted' in vcon, false)
    // Indented with 2 spaces, as serializeVcon(vcon, { indent: 2 }) writes it.
    assert.match(run.stdout, /^\{\n {2}"vcon": "0\.4\.0",\n/)
    assert.match(
      run.stderr,
      /^vcon: upgraded examples\/legacy-0\.0\.1\.vcon\.json from 0\.0\.1 to 0\.4\.0, \d+ warnings:\n/,
    )
    assert.match(run.stderr, /^ {2}\/dialog\/0\/mimetype +renamed-field +warning +/m)
    assert.match(run.stderr, /^ {2}\/created_at +assumed-utc +warning +/m)
  })

  test('the upgraded legacy example passes strict validation', async () => {
    const upgraded = await runCli(['upgrade', '--quiet', LEGACY])
    assert.equal(upgraded.code, 0)
    assert.equal(upgraded.stderr, '', '--quiet prints no warnings')
    const check = await runCli(['validate', '--strict', '-'], { input: upgraded.stdout })
    assert.equal(check.code, 0, check.stdout)
  })

  test('upgrades a real 0.0.1 file read from gzipped stdin', async () => {
    const input = gzipSync(await readFile(FAKE_001))
    const run = await runCli(['upgrade', '-'], { input })
    assert.equal(run.code, 0, run.stderr)
    const vcon = JSON.parse(run.stdout)
    assert.equal(vcon.vcon, '0.4.0')
    assert.ok(Array.isArray(vcon.dialog) && vcon.dialog.length > 0)
    assert.match(run.stderr, /^vcon: upgraded <stdin> from 0\.0\.1 to 0\.4\.0/)
  })

  test('a 0.4.0 file comes back with the same content', async () => {
    const path = join(REPO_ROOT, 'examples/support-call.vcon.json')
    const run = await runCli(['upgrade', path])
    assert.equal(run.code, 0)
    assert.equal(run.stderr, '')
    assert.deepEqual(JSON.parse(run.stdout), JSON.parse(await readFile(path, 'utf8')))
  })

  test('an invalid file exits 1 with its errors on stderr and nothing on stdout', async () => {
    const run = await runCli(['upgrade', join(INVALID_FIXTURES, 'out_of_range_party_indices.json')])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /is not a valid vCon: 3 errors\n/)
    assert.match(run.stderr, /^ {2}\/dialog\/0\/originator +party-index-out-of-range +error/m)
  })

  test('a signed vCon is refused (exit 1): its content is covered by the signature', async () => {
    const run = await runCli(['upgrade', join(SPEC, 'ab_call_ext_rec_signed.vcon')])
    assert.equal(run.code, 1)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^vcon: .*ab_call_ext_rec_signed\.vcon is signed \(JWS\)/)
  })

  test('usage and I/O errors exit 2 without a stack trace', async () => {
    const none = await runCli(['upgrade'])
    assert.equal(none.code, 2)
    assert.match(none.stderr, /^vcon: upgrade needs a FILE/)
    const two = await runCli(['upgrade', LEGACY, LEGACY])
    assert.equal(two.code, 2)
    assert.match(two.stderr, /upgrade takes one FILE, got 2/)
    const missing = await runCli(['upgrade', 'missing.vcon'])
    assert.equal(missing.code, 2)
    assert.equal(missing.stderr, 'vcon: cannot read missing.vcon: no such file or directory\n')
    const folder = await runCli(['upgrade', 'examples'])
    assert.equal(folder.code, 2)
    assert.match(folder.stderr, /cannot read examples: is a directory/)
    for (const run of [none, two, missing, folder]) assert.doesNotMatch(run.stderr, STACK_FRAME)
  })
})
