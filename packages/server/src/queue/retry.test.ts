import assert from 'node:assert/strict'
import { test } from 'node:test'
import { ServerError } from '../errors/server-error.js'
import {
  checkConsumeOptions,
  errorMessage,
  MAX_RETRY_DELAY_MS,
  retryDelayMs,
  unnamedStep,
} from './retry.js'

const policy = { maxAttempts: 5, backoffMs: 1_000 }

test('retry delays double per attempt, within ±20 % jitter', () => {
  assert.equal(
    retryDelayMs(policy, 1, () => 0.5),
    1_000,
  )
  assert.equal(
    retryDelayMs(policy, 2, () => 0.5),
    2_000,
  )
  assert.equal(
    retryDelayMs(policy, 4, () => 0.5),
    8_000,
  )
  assert.equal(
    retryDelayMs(policy, 1, () => 0),
    800,
  )
  assert.equal(
    retryDelayMs(policy, 3, () => 0.999_999),
    4_800,
  )
  for (let attempt = 1; attempt < 8; attempt += 1) {
    const low = retryDelayMs(policy, attempt, () => 0)
    const high = retryDelayMs(policy, attempt + 1, () => 0)
    assert.ok(high > low)
  }
})

test('retry delays are capped at an hour and never negative', () => {
  assert.equal(
    retryDelayMs(policy, 100, () => 0.5),
    MAX_RETRY_DELAY_MS,
  )
  assert.equal(
    retryDelayMs({ maxAttempts: 1, backoffMs: 0 }, 3, () => 0.5),
    0,
  )
  assert.equal(
    retryDelayMs(policy, 0, () => 0.5),
    1_000,
  )
})

test('error messages and unnamed steps', () => {
  assert.equal(errorMessage(new Error('boom')), 'boom')
  assert.equal(errorMessage('plain'), 'plain')
  assert.equal(errorMessage({ a: 1 }), '{"a":1}')
  assert.equal(unnamedStep(3), '#3')
})

test('consume options are checked, naming the option', () => {
  const good = {
    lists: ['a'],
    concurrency: 2,
    leaseMs: 1_000,
    retry: policy,
    worker: 'w',
  }
  assert.doesNotThrow(() => checkConsumeOptions(good))
  for (const [bad, key] of [
    [{ ...good, lists: [] }, 'lists'],
    [{ ...good, concurrency: 1.5 }, 'concurrency'],
    [{ ...good, leaseMs: 0 }, 'leaseMs'],
    [{ ...good, retry: { maxAttempts: 0, backoffMs: 1 } }, 'retry.maxAttempts'],
    [{ ...good, retry: { maxAttempts: 1, backoffMs: -1 } }, 'retry.backoffMs'],
  ] as const) {
    assert.throws(
      () => checkConsumeOptions(bad),
      (e: unknown) =>
        e instanceof ServerError && e.code === 'CONFIG_INVALID' && e.message.includes(key),
    )
  }
})
