import assert from 'node:assert/strict'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { uuid8 } from '@vconkit/vcon'
import { REAL, REPO_ROOT, runCli, SPEC, STACK_FRAME, tempDir } from './support/run-cli.js'

/** A real 0.0.1 call from vcon-server's tests: party tel numbers, and phone numbers and emails in the text. */
const CALL = join(REAL, 'vcon-dev+vcon-server/common/tests/fixtures/cat1_vcon.json')
const CALL_UUID = '018c7fd6-8824-8c27-9dd8-dd37220d739c'
const SUPPORT_CALL = join(REPO_ROOT, 'examples/support-call.vcon.json')

/** Personal data in CALL: the parties' tel values, numbers and emails said or written, the agent's name. */
const PII = [
  '+12106336615',
  '+12105128660',
  '210-633-6615',
  '210-512-8860',
  '2106336615',
  'cdancelgarcia@gmail.com',
  'Mhae Dalan',
]

describe('vcon redact', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>
  let policy: string
  before(async () => {
    dir = await tempDir()
    policy = join(dir.path, 'pii.json')
    await writeFile(policy, JSON.stringify({ partyFields: ['tel', 'name'], text: {} }))
  })
  after(async () => {
    await dir.cleanup()
  })

  test('removes the party tel values and the PII in the text', async () => {
    const original = await readFile(CALL, 'utf8')
    for (const value of PII) assert.ok(original.includes(value), `the fixture holds ${value}`)
    const run = await runCli(['redact', '--policy', policy, '--quiet', CALL])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(run.stderr, '')
    for (const value of PII) assert.equal(run.stdout.includes(value), false, `${value} is gone`)
    const vcon = JSON.parse(run.stdout)
    for (const party of vcon.parties) {
      assert.equal('tel' in party, false)
      assert.equal('name' in party, false)
    }
    assert.match(run.stdout, /\[phone\]/)
    assert.deepEqual(vcon.redacted, { uuid: CALL_UUID, type: 'PII Redaction' })
    assert.equal(vcon.vcon, '0.4.0')
    // Without --domain, the new uuid keeps the original's domain bits (both are UUIDv8).
    assert.notEqual(vcon.uuid, CALL_UUID)
    assert.match(vcon.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-/)
    assert.equal(vcon.uuid.slice(19), CALL_UUID.slice(19))
    // The result is a valid vCon.
    const check = await runCli(['validate', '-'], { input: run.stdout })
    assert.equal(check.code, 0, check.stdout)
  })

  test('--report prints the counts on stderr; --domain sets the uuid domain', async () => {
    const run = await runCli([
      'redact',
      '--policy',
      policy,
      '--report',
      '--domain',
      'example.com',
      '-q',
      CALL,
    ])
    assert.equal(run.code, 0, run.stderr)
    const report = JSON.parse(run.stderr)
    assert.equal(report.type, 'PII Redaction')
    assert.deepEqual(report.partyFieldsRemoved, { tel: 2, name: 2 })
    assert.ok(report.removed.phone > 10, `phones removed: ${report.removed.phone}`)
    assert.ok(report.removed.email > 0)
    for (const value of PII) assert.equal(run.stderr.includes(value), false)
    const vcon = JSON.parse(run.stdout)
    assert.equal(vcon.uuid.slice(19), uuid8({ domain: 'example.com', now: () => 0 }).slice(19))
  })

  test('without -q the repairs made while reading the 0.0.1 file are listed on stderr', async () => {
    const run = await runCli(['redact', '--policy', policy, CALL])
    assert.equal(run.code, 0)
    assert.match(
      run.stderr,
      /^vcon: read .*cat1_vcon\.json \(upgraded from 0\.0\.1 to 0\.4\.0\) with \d+ warnings:\n/,
    )
  })

  test('an unknown extension is refused (exit 1) unless --force', async () => {
    const vcon = JSON.parse(await readFile(SUPPORT_CALL, 'utf8'))
    const input = JSON.stringify({ ...vcon, extensions: ['x-private-notes'] })
    const refused = await runCli(['redact', '--policy', policy, '-'], { input })
    assert.equal(refused.code, 1)
    assert.equal(refused.stdout, '')
    assert.match(
      refused.stderr,
      /^vcon: cannot redact <stdin>: .*"x-private-notes".*Pass --force to redact anyway/,
    )
    const forced = await runCli(['redact', '--policy', policy, '--force', '-'], { input })
    assert.equal(forced.code, 0, forced.stderr)
    assert.equal(forced.stdout.includes('+15550100142'), false)
  })

  test('a signed vCon must be verified first (exit 1)', async () => {
    const run = await runCli([
      'redact',
      '--policy',
      policy,
      join(SPEC, 'ab_call_ext_rec_signed.vcon'),
    ])
    assert.equal(run.code, 1)
    assert.match(run.stderr, /is signed \(JWS\): verify it first/)
  })

  test('a bad policy, a missing --policy and an unknown flag exit 2 without a stack trace', async () => {
    const misspelt = join(dir.path, 'misspelt.json')
    await writeFile(misspelt, JSON.stringify({ partyfields: ['tel'] }))
    const notJson = join(dir.path, 'not.json')
    await writeFile(notJson, 'partyFields: tel')
    const runs = await Promise.all([
      runCli(['redact', '--policy', misspelt, CALL]),
      runCli(['redact', '--policy', notJson, CALL]),
      runCli(['redact', CALL]),
      runCli(['redact', '--policy', policy, '--frobnicate', CALL]),
      runCli(['redact', '--policy', policy, '--domain', 'not a domain', CALL]),
    ])
    const [unknownKey, garbage, noPolicy, unknownFlag, badDomain] = runs
    assert.match(
      unknownKey?.stderr ?? '',
      /^vcon: --policy .*misspelt\.json: Redaction policy: unknown key `partyfields`/,
    )
    assert.match(garbage?.stderr ?? '', /^vcon: --policy .*not\.json is not JSON: /)
    assert.match(
      noPolicy?.stderr ?? '',
      /^vcon: redact needs --policy POLICY\.json\nusage: vcon redact /,
    )
    assert.match(unknownFlag?.stderr ?? '', /^vcon: unknown option '--frobnicate'/)
    assert.match(badDomain?.stderr ?? '', /^vcon: --domain must be a domain name/)
    for (const run of runs) {
      assert.equal(run.code, 2, run.stderr)
      assert.equal(run.stdout, '')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    }
  })
})
