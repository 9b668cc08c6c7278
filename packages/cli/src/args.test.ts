import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  choiceOption,
  integerOption,
  parseCommandArgs,
  requiredOption,
  stringOptions,
} from './args.js'
import { isCliError } from './cli-error.js'

const SPEC = {
  n: { type: 'string' },
  alg: { type: 'string' },
  to: { type: 'string', multiple: true },
} as const

function usageError(command: string, pattern: RegExp): (error: unknown) => boolean {
  return (error) =>
    isCliError(error) &&
    error.exitCode === 2 &&
    error.usageOf === command &&
    pattern.test(error.message)
}

test('integerOption takes digits only, at least the minimum', () => {
  assert.equal(integerOption(parseCommandArgs('x', ['--n', '42'], SPEC), 'n', 'x', 1), 42)
  assert.equal(integerOption(parseCommandArgs('x', [], SPEC), 'n', 'x', 1), undefined)
  for (const value of ['0', '-1', '1e3', '10k', '', '1.5']) {
    assert.throws(
      () => integerOption(parseCommandArgs('x', [`--n=${value}`], SPEC), 'n', 'x', 1),
      usageError('x', /^--n must be a whole number of at least 1/),
      value,
    )
  }
})

test('choiceOption, requiredOption and stringOptions', () => {
  const parsed = parseCommandArgs('x', ['--alg', 'ES256', '--to', 'a.pem', '--to', 'b.pem'], SPEC)
  assert.equal(choiceOption(parsed, 'alg', ['RS256', 'ES256'], 'x'), 'ES256')
  assert.throws(
    () => choiceOption(parsed, 'alg', ['RS256'], 'x'),
    usageError('x', /^--alg must be one of RS256; got 'ES256'$/),
  )
  assert.deepEqual(stringOptions(parsed, 'to'), ['a.pem', 'b.pem'])
  assert.equal(requiredOption(parsed, 'alg', 'x', 'ALG'), 'ES256')
  assert.throws(() => requiredOption(parsed, 'n', 'x', 'N'), usageError('x', /^x needs --n N$/))
})
