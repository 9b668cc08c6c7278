import assert from 'node:assert/strict'
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { describe, test } from 'node:test'
import { gzipSync } from 'node:zlib'
import {
  INVALID_FIXTURES,
  REAL,
  REPO_ROOT,
  runCli,
  SPEC,
  STACK_FRAME,
  tempDir,
} from './support/run-cli.js'

const SUPPORT_CALL = 'examples/support-call.vcon.json'
const LEGACY = 'examples/legacy-0.0.1.vcon.json'
const BAD_PARTY_REF = join(INVALID_FIXTURES, 'bad_party_ref.json')

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

async function countFiles(dir: string): Promise<number> {
  let count = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) count += await countFiles(join(dir, entry.name))
    else if (/\.(vcon|json)$/.test(entry.name)) count++
  }
  return count
}

describe('vcon validate: single files', () => {
  test('a valid 0.4.0 file exits 0 with an OK line and a summary', async () => {
    const run = await runCli(['validate', SUPPORT_CALL])
    assert.equal(run.code, 0, run.stderr)
    assert.equal(
      run.stdout,
      `OK   ${SUPPORT_CALL} (0.4.0)\n1 file: 1 valid, 0 invalid, 0 unreadable\n`,
    )
    assert.equal(run.stderr, '')
  })

  test('the bundled example is valid in strict mode too', async () => {
    const run = await runCli(['validate', '--strict', SUPPORT_CALL])
    assert.equal(run.code, 0, run.stdout)
  })

  test('a legacy file is upgraded in lenient mode (the default) and refused in strict mode', async () => {
    const lenient = await runCli(['validate', LEGACY])
    assert.equal(lenient.code, 0, lenient.stdout)
    assert.match(
      lenient.stdout,
      /^OK {3}examples\/legacy-0\.0\.1\.vcon\.json \(0\.0\.1 → 0\.4\.0, \d+ warnings\)$/m,
    )
    // Warnings are counted, not listed, unless asked for.
    assert.doesNotMatch(lenient.stdout, /renamed-field/)

    const strict = await runCli(['validate', '--strict', LEGACY])
    assert.equal(strict.code, 1)
    assert.match(strict.stdout, /^FAIL examples\/legacy-0\.0\.1\.vcon\.json: \d+ errors$/m)
    assert.match(strict.stdout, /^ {2}\/vcon +version-not-current +error +/m)
  })

  test('--warnings lists the warnings under the OK line', async () => {
    const run = await runCli(['validate', '--warnings', LEGACY])
    assert.equal(run.code, 0)
    assert.match(
      run.stdout,
      /^ {2}\/dialog\/0\/mimetype +renamed-field +warning +renamed mimetype/m,
    )
  })

  test('an invalid file exits 1 and names the offending field by pointer', async () => {
    const display = relative(REPO_ROOT, BAD_PARTY_REF)
    const run = await runCli(['validate', display])
    assert.equal(run.code, 1)
    assert.match(run.stdout, new RegExp(`^FAIL ${escapeRegExp(display)}: 1 error$`, 'm'))
    assert.match(
      run.stdout,
      /^ {2}\/dialog\/0\/parties\/1 +party-index-out-of-range +error +Party index 99/m,
    )
    assert.match(run.stdout, /1 file: 0 valid, 1 invalid, 0 unreadable\n$/)
  })

  test('signed and encrypted vCons are checked for their envelope only, and say so', async () => {
    const run = await runCli([
      'validate',
      join(SPEC, 'ab_call_ext_rec_signed.vcon'),
      join(SPEC, 'ab_call_ext_rec_encrypted.vcon'),
    ])
    assert.equal(run.code, 0, run.stdout)
    assert.match(
      run.stdout,
      /ab_call_ext_rec_signed\.vcon \(signed \(JWS\), signature not checked\)/,
    )
    assert.match(run.stdout, /ab_call_ext_rec_encrypted\.vcon \(encrypted \(JWE\), not decrypted\)/)
  })

  test('a JSON object that is not a vCon is invalid, with the reason on the line', async () => {
    const run = await runCli(['validate', join(SPEC, 'simple-vcon.vcon')])
    assert.equal(run.code, 1)
    assert.match(run.stdout, /^FAIL .*simple-vcon\.vcon: The JSON object is not a vCon/m)
  })
})

describe('vcon validate: folders', () => {
  test('the real corpus: one line per file, the invalid fixtures fail, the summary adds up', async () => {
    const run = await runCli(['validate', REAL])
    assert.equal(run.code, 1)
    const total = await countFiles(REAL)
    const invalidNames = (await readdir(INVALID_FIXTURES)).filter((n) => n.endsWith('.json'))
    const ok = run.stdout.match(/^OK {3}/gm) ?? []
    const fail = run.stdout.match(/^FAIL /gm) ?? []
    assert.equal(ok.length + fail.length, total)
    for (const name of invalidNames) {
      assert.match(run.stdout, new RegExp(`^FAIL .*invalid_fixtures/${escapeRegExp(name)}: `, 'm'))
    }
    // A lenient reader accepts every real file except the deliberately invalid ones (corpus README).
    assert.equal(fail.length, invalidNames.length)
    const summary = `${total} files: ${total - invalidNames.length} valid, ${invalidNames.length} invalid, 0 unreadable`
    assert.ok(run.stdout.endsWith(`${summary}\n`), run.stdout.slice(-200))
  })

  test('the bundled examples folder is valid (README quick start)', async () => {
    const run = await runCli(['validate', 'examples/'])
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /2 files: 2 valid, 0 invalid, 0 unreadable\n$/)
  })

  test('--quiet prints only failures and the summary', async () => {
    const run = await runCli(['validate', '--quiet', REAL])
    assert.equal(run.code, 1)
    assert.doesNotMatch(run.stdout, /^OK/m)
    assert.match(run.stdout, /^FAIL .*bad_party_ref\.json: 1 error$/m)
    assert.match(run.stdout, /\d+ files: \d+ valid, \d+ invalid, 0 unreadable\n$/)
  })

  test('a folder with no vCon files is a usage error', async () => {
    const dir = await tempDir()
    try {
      await writeFile(join(dir.path, 'notes.txt'), 'hello')
      const run = await runCli(['validate', dir.path])
      assert.equal(run.code, 2)
      assert.match(run.stderr, /^vcon: no vCon files found in /)
    } finally {
      await dir.cleanup()
    }
  })
})

describe('vcon validate --json', () => {
  test('prints one object per file with exactly the documented keys', async () => {
    const run = await runCli(['validate', '--json', LEGACY, SUPPORT_CALL, BAD_PARTY_REF])
    assert.equal(run.code, 1)
    const lines = run.stdout.trimEnd().split('\n')
    assert.equal(lines.length, 3)
    const records = lines.map((line) => JSON.parse(line))
    for (const record of records) {
      assert.deepEqual(Object.keys(record).sort(), ['file', 'form', 'issues', 'valid', 'version'])
      for (const issue of record.issues) {
        assert.deepEqual(Object.keys(issue).sort(), ['code', 'message', 'pointer', 'severity'])
      }
    }
    const [legacy, support, bad] = records
    assert.equal(legacy.file, LEGACY)
    assert.equal(legacy.valid, true)
    assert.equal(legacy.form, 'unsigned')
    assert.equal(legacy.version, '0.0.1')
    assert.ok(legacy.issues.some((i: { code: string }) => i.code === 'renamed-field'))
    assert.deepEqual(support, {
      file: SUPPORT_CALL,
      valid: true,
      form: 'unsigned',
      version: '0.4.0',
      issues: [],
    })
    assert.equal(bad.valid, false)
    assert.equal(bad.form, 'unsigned')
    assert.ok(
      bad.issues.some(
        (i: { pointer: string; severity: string }) =>
          i.pointer === '/dialog/0/parties/1' && i.severity === 'error',
      ),
    )
    // stdout stays pure JSON Lines; the summary goes to stderr.
    assert.equal(run.stderr, '3 files: 2 valid, 1 invalid, 0 unreadable\n')
  })

  test('reports unreadable and non-JSON files as records too', async () => {
    const dir = await tempDir()
    try {
      const notJson = join(dir.path, 'broken.vcon')
      await writeFile(notJson, 'this is { not json')
      const missing = join(dir.path, 'missing.vcon')
      const run = await runCli(['validate', '--json', notJson, missing])
      assert.equal(run.code, 2)
      const [broken, gone] = run.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l))
      assert.equal(broken.form, 'not-a-vcon')
      assert.equal(broken.valid, false)
      assert.equal(broken.issues[0].code, 'not-json')
      assert.equal(gone.form, null)
      assert.equal(gone.issues[0].code, 'unreadable')
      assert.match(gone.issues[0].message, /no such file or directory/)
    } finally {
      await dir.cleanup()
    }
  })
})

describe('vcon validate: stdin, gzip and errors', () => {
  test('- reads standard input', async () => {
    const input = await readFile(join(REPO_ROOT, SUPPORT_CALL))
    const run = await runCli(['validate', '-'], { input })
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /^OK {3}<stdin> \(0\.4\.0\)$/m)

    const json = await runCli(['validate', '--json', '-'], { input })
    assert.equal(JSON.parse(json.stdout).file, '-')
  })

  test('gzipped files are recognised by content, in folders (.vcon.gz) and on stdin', async () => {
    const dir = await tempDir()
    try {
      const source = join(
        REAL,
        'vcon-dev+fake-vcons/2025/03/04/37a008ab-58bd-476f-9201-f91847d610e7.vcon.json',
      )
      const gz = gzipSync(await readFile(source))
      await writeFile(join(dir.path, 'call.vcon.gz'), gz)
      const run = await runCli(['validate', dir.path])
      assert.equal(run.code, 0, run.stdout)
      assert.match(run.stdout, /^OK {3}.*call\.vcon\.gz \(0\.0\.1 → 0\.4\.0, \d+ warnings\)$/m)

      const piped = await runCli(['validate', '-'], { input: gz })
      assert.equal(piped.code, 0, piped.stdout)
    } finally {
      await dir.cleanup()
    }
  })

  test('a missing file exits 2 with a clear line and no stack trace', async () => {
    const run = await runCli(['validate', 'no/such/file.vcon'])
    assert.equal(run.code, 2)
    assert.match(
      run.stdout,
      /^ERR {2}no\/such\/file\.vcon: cannot read: no such file or directory$/m,
    )
    assert.match(run.stdout, /1 file: 0 valid, 0 invalid, 1 unreadable\n$/)
    assert.doesNotMatch(run.stderr, STACK_FRAME)
    assert.doesNotMatch(run.stdout, STACK_FRAME)
  })

  test('an unreadable file wins over an invalid one: exit 2', async () => {
    const run = await runCli(['validate', BAD_PARTY_REF, 'no/such/file.vcon'])
    assert.equal(run.code, 2)
    assert.match(run.stdout, /2 files: 0 valid, 1 invalid, 1 unreadable\n$/)
  })

  test('a file that is not JSON is invalid, with a clear one-line message and no stack', async () => {
    const dir = await tempDir()
    try {
      const path = join(dir.path, 'notes.vcon')
      await writeFile(path, 'hello\nworld\n')
      const run = await runCli(['validate', path])
      assert.equal(run.code, 1)
      assert.match(
        run.stdout,
        /^FAIL .*notes\.vcon: The input is not JSON .*a vCon is a JSON object\.$/m,
      )
      assert.equal(run.stdout.trimEnd().split('\n').length, 2, 'one FAIL line and the summary')
      assert.doesNotMatch(run.stdout + run.stderr, STACK_FRAME)
    } finally {
      await dir.cleanup()
    }
  })

  test('a corrupt gzip file is invalid, not a crash', async () => {
    const dir = await tempDir()
    try {
      const path = join(dir.path, 'broken.vcon.gz')
      await writeFile(path, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x01, 0x02]))
      const run = await runCli(['validate', '--json', path])
      assert.equal(run.code, 1)
      assert.equal(JSON.parse(run.stdout).issues[0].code, 'bad-encoding')
      assert.doesNotMatch(run.stderr, STACK_FRAME)
    } finally {
      await dir.cleanup()
    }
  })

  test('an unknown flag exits 2 with the usage of validate', async () => {
    const run = await runCli(['validate', '--frobnicate', SUPPORT_CALL])
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.match(
      run.stderr,
      /^vcon: unknown option '--frobnicate'\nusage: vcon validate \[--strict\|--lenient\]/,
    )
    assert.doesNotMatch(run.stderr, STACK_FRAME)
  })

  test('usage errors: no PATH, --strict with --lenient, - twice', async () => {
    const cases = [
      [['validate'], /validate needs at least one PATH/],
      [
        ['validate', '--strict', '--lenient', SUPPORT_CALL],
        /--strict and --lenient exclude each other/,
      ],
      [['validate', '-', '-'], /can be given only once/],
    ] as const
    for (const [args, message] of cases) {
      const run = await runCli(args)
      assert.equal(run.code, 2, args.join(' '))
      assert.match(run.stderr, message)
    }
  })
})
