/**
 * Every file of the corpus is a test case (fixtures/corpus/SOURCES.md): lenient mode accepts every real file
 * except the deliberately invalid fixtures and simple-vcon.vcon; the invalid ones are refused with the pointer of
 * the offending field; the strict-mode outcome of each file is recorded in expected/corpus-strict.json.
 * Run with UPDATE_EXPECTED=1 to rewrite that record after a deliberate change, then review the diff.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { VconError } from '../src/errors/vcon-error.js'
import { parseVcon } from '../src/parse/parse-vcon.js'
import { corpusPath, corpusVconFiles } from './corpus.js'

const files = corpusVconFiles()

/** The deliberately invalid fixtures, with the pointer each must be refused at (one of the error pointers). */
const INVALID: Record<string, string> = {
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/bad_duration.json': '/dialog/0/duration',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/bad_party_ref.json':
    '/dialog/0/parties/1',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/bad_url.json': '/dialog/0/url',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/empty_vcon.json': '/uuid',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/invalid_dialog_url.json':
    '/dialog/0/url',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/null_dialog_string_analysis.json':
    '/analysis',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/null_parties.json': '/parties',
  'real/vcon-dev+vcon-server/common/tests/invalid_fixtures/out_of_range_party_indices.json':
    '/dialog/0/parties/1',
}

const NOT_A_VCON = 'spec-examples/simple-vcon.vcon'

/** Outcome of one strict parse, reduced to what should stay stable: the form and the error codes at pointers. */
function strictOutcome(path: string): { outcome: string; errors: string[] } {
  try {
    const parsed = parseVcon(readFileSync(corpusPath(path)), { mode: 'strict' })
    return { outcome: `valid ${parsed.form}`, errors: [] }
  } catch (error) {
    assert.ok(error instanceof VconError, `${path}: threw a non-VconError: ${String(error)}`)
    const errors = [
      ...new Set(
        error.issues.filter((i) => i.severity === 'error').map((i) => `${i.pointer} ${i.code}`),
      ),
    ].sort()
    return { outcome: error.code, errors }
  }
}

describe('corpus: lenient mode', () => {
  for (const path of files) {
    if (path in INVALID) {
      test(`refuses ${path} at ${INVALID[path]}`, () => {
        assert.throws(
          () => parseVcon(readFileSync(corpusPath(path)), { mode: 'lenient' }),
          (error: unknown) => {
            assert.ok(error instanceof VconError)
            assert.equal(error.code, 'VCON_INVALID')
            const pointers = error.issues
              .filter((i) => i.severity === 'error')
              .map((i) => i.pointer)
            assert.ok(
              pointers.includes(INVALID[path] as string),
              `expected an error at ${INVALID[path]}, got ${pointers.join(', ')}`,
            )
            return true
          },
        )
      })
    } else if (path === NOT_A_VCON) {
      test(`refuses ${path} as not a vCon`, () => {
        assert.throws(
          () => parseVcon(readFileSync(corpusPath(path)), { mode: 'lenient' }),
          (error: unknown) => error instanceof VconError && error.code === 'VCON_NOT_A_VCON',
        )
      })
    } else {
      test(`accepts ${path}`, () => {
        const parsed = parseVcon(readFileSync(corpusPath(path)), { mode: 'lenient' })
        if (parsed.form !== 'unsigned') return
        assert.equal(parsed.vcon.vcon, '0.4.0')
        for (const issue of parsed.issues) assert.equal(issue.severity, 'warning')
      })
    }
  }
})

describe('corpus: strict mode outcomes match the recorded expectations', () => {
  const expectedPath = fileURLToPath(new URL('./expected/corpus-strict.json', import.meta.url))
  const actual: Record<string, { outcome: string; errors: string[] }> = {}
  for (const path of files) actual[path] = strictOutcome(path)
  if (process.env.UPDATE_EXPECTED === '1') {
    writeFileSync(expectedPath, `${JSON.stringify(actual, null, 2)}\n`)
  }
  const expected = JSON.parse(readFileSync(expectedPath, 'utf8')) as typeof actual
  test('every corpus file has a recorded strict outcome', () => {
    assert.deepEqual(Object.keys(expected).sort(), files)
  })
  for (const path of files) {
    test(`strict: ${path}`, () => assert.deepEqual(actual[path], expected[path]))
  }
  test('the spec examples that are only missing created_at fail strict mode for that reason', () => {
    const outcome = actual['spec-examples/ab_call_ext_rec.vcon']
    assert.deepEqual(outcome, { outcome: 'VCON_INVALID', errors: ['/created_at missing-field'] })
    const email = actual['spec-examples/ab_email_prob_followup_alice.vcon']
    assert.ok(email?.errors.includes('/redacted/type missing-field'))
  })
})
