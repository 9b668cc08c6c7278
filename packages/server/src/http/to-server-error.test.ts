import assert from 'node:assert/strict'
import { test } from 'node:test'
import { type Issue, VconError } from '@vconkit/vcon'
import { ServerError, type ServerErrorCode } from '../errors/server-error.js'
import { ERROR_STATUS } from './error-status.js'
import { toServerError, unavailable } from './to-server-error.js'

test('library errors from a request body become client errors with their issues', () => {
  const issue: Issue = { pointer: '/uuid', code: 'bad-uuid', severity: 'error', message: 'm' }
  const cases: [VconError, ServerErrorCode][] = [
    [new VconError('VCON_INVALID', 'x', { issues: [issue] }), 'VCON_INVALID'],
    [new VconError('VCON_CRITICAL_UNSUPPORTED', 'x'), 'CRITICAL_UNSUPPORTED'],
    [new VconError('VCON_TOO_LARGE', 'x'), 'PAYLOAD_TOO_LARGE'],
    [new VconError('VCON_NOT_JSON', 'x'), 'BAD_REQUEST'],
    [new VconError('VCON_TOO_DEEP', 'x'), 'BAD_REQUEST'],
  ]
  for (const [error, code] of cases) {
    const converted = toServerError(error, 'r1')
    assert.equal(converted.error.code, code)
    assert.equal(converted.unexpected, false)
    assert.ok(ERROR_STATUS[code] >= 400 && ERROR_STATUS[code] < 500)
  }
  assert.deepEqual(toServerError(cases[0]?.[0], 'r1').error.issues, [issue])
})

test('anything else is INTERNAL with a generic message naming the request id, never the details', () => {
  const converted = toServerError(new TypeError('secret detail at /home/x'), 'req42')
  assert.equal(converted.unexpected, true)
  assert.equal(converted.error.code, 'INTERNAL')
  assert.ok(converted.error.message.includes('req42'))
  assert.ok(!converted.error.message.includes('secret detail'))
  assert.equal(ERROR_STATUS.INTERNAL, 500)
})

test('backend failures are 503 with Retry-After; ServerErrors pass through', () => {
  const down = unavailable('store', new Error('ECONNREFUSED'))
  assert.equal(down.code, 'UNAVAILABLE')
  assert.equal(ERROR_STATUS[down.code], 503)
  assert.ok((down.retryAfter ?? 0) >= 1)
  const own = new ServerError('BAD_REQUEST', 'cursor')
  assert.equal(unavailable('store', own), own)
})
