import assert from 'node:assert/strict'
import { test } from 'node:test'
import { isCliError } from '../cli-error.js'
import { cliWording } from './library-error.js'
import { parseAt } from './trust-options.js'

test('parseAt reads ISO dates and date-times, as UTC when no zone is given', () => {
  assert.equal(parseAt('2025-01-01', 'verify').toISOString(), '2025-01-01T00:00:00.000Z')
  assert.equal(parseAt('2025-01-01T12:30:00Z', 'verify').toISOString(), '2025-01-01T12:30:00.000Z')
  assert.equal(parseAt('2025-01-01T12:30', 'verify').toISOString(), '2025-01-01T12:30:00.000Z')
  assert.equal(
    parseAt('2025-01-01T12:30:00+02:00', 'verify').toISOString(),
    '2025-01-01T10:30:00.000Z',
  )
})

test('parseAt refuses what is not an ISO date, as a usage error of the command', () => {
  for (const value of ['yesterday', '2025-13-45', '1735689600', '01/02/2025', '']) {
    assert.throws(
      () => parseAt(value, 'verify'),
      (error: unknown) => isCliError(error) && error.exitCode === 2 && error.usageOf === 'verify',
      value,
    )
  }
})

test('cliWording names the flags instead of the library options', () => {
  assert.equal(
    cliWording('If you trust this legacy chain, pass `allowLegacyV1Ca: true`.'),
    'If you trust this legacy chain, pass --legacy-v1-ca.',
  )
  assert.equal(
    cliWording('options.recipients[1] is not a readable certificate or public key (PEM).'),
    '--to #2 is not a readable certificate or public key (PEM).',
  )
  assert.equal(
    cliWording(
      'only public addresses are fetched unless allowPrivateAddresses or allowHosts says otherwise',
    ),
    'only public addresses are fetched unless --allow-private is given',
  )
})
