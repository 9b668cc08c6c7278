import assert from 'node:assert/strict'
import { test } from 'node:test'
import { formatDuration } from './duration.js'

test('formatDuration writes m:ss, and h:mm:ss from one hour', () => {
  assert.equal(formatDuration(0), '0:00')
  assert.equal(formatDuration(7), '0:07')
  assert.equal(formatDuration(252), '4:12')
  assert.equal(formatDuration(59.6), '1:00')
  assert.equal(formatDuration(3725.4), '1:02:05')
})

test('formatDuration shows ? for values that are not durations', () => {
  assert.equal(formatDuration(-1), '?')
  assert.equal(formatDuration(Number.NaN), '?')
  assert.equal(formatDuration('12'), '?')
  assert.equal(formatDuration(undefined), '?')
})
