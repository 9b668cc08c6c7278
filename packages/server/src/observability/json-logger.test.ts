import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createJsonLogger, isSecretKey, REDACTED } from './json-logger.js'
import type { LogLevel } from './logger.js'

function collect(level: LogLevel) {
  const lines: string[] = []
  const log = createJsonLogger({
    level,
    stream: { write: (line: string) => lines.push(line) },
    now: () => Date.UTC(2025, 0, 2, 3, 4, 5, 678),
  })
  const parsed = () => lines.map((l) => JSON.parse(l) as Record<string, unknown>)
  return { log, lines, parsed }
}

describe('JSON lines', () => {
  test('each line is one JSON object: time, level, msg, then the fields', () => {
    const { log, lines } = collect('debug')
    log.info('listening', { port: 8000, host: '127.0.0.1' })
    assert.equal(
      lines[0],
      '{"time":"2025-01-02T03:04:05.678Z","level":"info","msg":"listening","port":8000,"host":"127.0.0.1"}\n',
    )
  })

  test('child loggers add their fields to every line; call fields win', () => {
    const { log, parsed } = collect('debug')
    const child = log.child({ role: 'worker', chain: 'a' }).child({ chain: 'b' })
    child.warn('slow', { ms: 12 })
    child.error('x', { role: 'api' })
    assert.deepEqual(parsed()[0], {
      time: '2025-01-02T03:04:05.678Z',
      level: 'warn',
      msg: 'slow',
      role: 'worker',
      chain: 'b',
      ms: 12,
    })
    assert.equal(parsed()[1]?.role, 'api')
  })

  test('fields cannot overwrite time, level or msg', () => {
    const { log, parsed } = collect('info')
    log.info('real', { msg: 'fake', level: 'error' })
    const line = parsed()[0]
    assert.equal(line?.msg, 'real')
    assert.equal(line?.level, 'info')
    assert.equal(line?.field_msg, 'fake')
    assert.equal(line?.field_level, 'error')
  })

  test('errors, dates, bigints and cycles are written safely', () => {
    const { log, parsed } = collect('info')
    const cyclic: Record<string, unknown> = { a: 1 }
    cyclic.self = cyclic
    const error = Object.assign(new Error('boom'), { code: 'E_X' })
    log.error('failed', { error, at: new Date(0), big: 10n, cyclic })
    const line = parsed()[0] as Record<string, Record<string, unknown>>
    assert.equal(line.error?.message, 'boom')
    assert.equal(line.error?.code, 'E_X')
    assert.equal(line.error?.name, 'Error')
    assert.equal(line.at as unknown, '1970-01-01T00:00:00.000Z')
    assert.equal(line.big as unknown, '10')
    assert.deepEqual(line.cyclic, { a: 1, self: '[circular]' })
  })
})

describe('level filter', () => {
  const levels: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']
  const expected: Record<LogLevel, string[]> = {
    debug: ['debug', 'info', 'warn', 'error', 'debug'],
    info: ['info', 'warn', 'error'],
    warn: ['warn', 'error'],
    error: ['error'],
    silent: [],
  }
  for (const level of levels) {
    test(`level ${level} writes ${[...new Set(expected[level])].join(', ') || 'nothing'}`, () => {
      const { log, parsed } = collect(level)
      log.debug('d')
      log.info('i')
      log.warn('w')
      log.error('e')
      log.child({ x: 1 }).debug('child d')
      assert.deepEqual(
        parsed().map((l) => l.level),
        expected[level],
      )
    })
  }
})

describe('redaction', () => {
  test('values under secret-like keys are never written, at any depth', () => {
    const { log, lines } = collect('debug')
    log.info('request', {
      authorization: 'Bearer vck_abc_SECRET1',
      headers: { 'x-conserver-api-token': 'SECRET2', 'content-type': 'application/json' },
      upstream: [{ apiKey: 'SECRET3' }, { client_secret: 'SECRET4' }],
      db: { password: 'SECRET5', user: 'vconkit' },
      token: { nested: 'SECRET6' },
      tokenId: 'abc123',
    })
    const text = lines.join('')
    for (const secret of ['SECRET1', 'SECRET2', 'SECRET3', 'SECRET4', 'SECRET5', 'SECRET6']) {
      assert.ok(!text.includes(secret), `${secret} leaked: ${text}`)
    }
    const line = JSON.parse(lines[0] as string) as Record<string, Record<string, unknown>>
    assert.equal(line.authorization as unknown, REDACTED)
    assert.equal(line.headers?.['x-conserver-api-token'], REDACTED)
    assert.equal(line.headers?.['content-type'], 'application/json')
    assert.equal(line.db?.user, 'vconkit')
    // A token's public id is not a secret.
    assert.equal(line.tokenId as unknown, 'abc123')
  })

  test('child fields are redacted too', () => {
    const { log, lines } = collect('info')
    log.child({ api_key: 'SECRET7' }).info('x')
    assert.ok(!lines.join('').includes('SECRET7'))
  })

  test('secret key names', () => {
    for (const key of [
      'Authorization',
      'TOKEN',
      'access_token',
      'refreshToken',
      'secret',
      'clientSecret',
      'password',
      'db-password',
      'api_key',
      'API-KEY',
      'cookie',
      'Set-Cookie',
      'privateKey',
    ]) {
      assert.equal(isSecretKey(key), true, key)
    }
    for (const key of ['tokenId', 'token_id', 'tokens', 'user', 'host', 'keyId', 'scope']) {
      assert.equal(isSecretKey(key), false, key)
    }
  })
})
