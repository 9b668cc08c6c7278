/**
 * @module The Logger implementation: one JSON object per line (`time`, `level`, `msg`, then the fields), a level
 * filter that is actually applied (the reference server reads LOG_LEVEL and ignores it, conserver notes §4), and
 * redaction of values under keys named like secrets, so that a careless `log.info('x', { headers })` cannot leak
 * a token.
 */
import type { Logger, LogLevel } from './logger.js'

/** Where lines go: process.stdout by default; tests pass a collector. */
export interface LineSink {
  write(line: string): unknown
}

export interface JsonLoggerOptions {
  readonly level: LogLevel
  readonly stream?: LineSink
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now?: () => number
  /** Fields on every line (e.g. the process role). */
  readonly fields?: Readonly<Record<string, unknown>>
}

/** Severity order; `silent` drops everything. */
const RANK: Readonly<Record<LogLevel, number>> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
}

/** The log levels, lowest first (for configuration and documentation). */
export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent']

/** What a redacted value is replaced with. */
export const REDACTED = '[redacted]'

/**
 * Key names whose values are secrets, compared after lower-casing and removing '-' and '_' so that
 * `Authorization`, `x-conserver-api-token`, `apiKey`, `client_secret` and `db_password` all match. A key matches
 * when it equals or ends with one of these: `accessToken` is redacted, `tokenId` (a public id) is not.
 */
const SECRET_SUFFIXES: readonly string[] = [
  'authorization',
  'token',
  'secret',
  'password',
  'passwd',
  'apikey',
  'cookie',
  'credentials',
  'privatekey',
]

/** True when values under `key` must not be logged. */
export function isSecretKey(key: string): boolean {
  const normal = key.toLowerCase().replace(/[-_]/g, '')
  return SECRET_SUFFIXES.some((suffix) => normal.endsWith(suffix))
}

/** Nesting beyond this is cut (a log line is not a dump). */
const MAX_DEPTH = 6

/** A copy of `value` safe to serialise: secrets redacted, errors spelled out, cycles and depth cut. */
function sanitize(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'bigint') return value.toString()
    if (typeof value === 'function' || typeof value === 'symbol') return undefined
    return value
  }
  if (seen.has(value)) return '[circular]'
  if (depth >= MAX_DEPTH) return '[too deep]'
  seen.add(value)
  try {
    if (value instanceof Error) {
      const code = (value as { code?: unknown }).code
      return {
        name: value.name,
        message: value.message,
        ...(typeof code === 'string' ? { code } : {}),
        ...(value.stack === undefined ? {} : { stack: value.stack }),
      }
    }
    if (value instanceof Date) return value.toISOString()
    if (Array.isArray(value)) return value.map((item) => sanitize(item, depth + 1, seen))
    const out: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) {
      out[key] = isSecretKey(key) ? REDACTED : sanitize(item, depth + 1, seen)
    }
    return out
  } finally {
    seen.delete(value)
  }
}

/** Keys every line starts with; fields cannot overwrite them. */
const RESERVED = new Set(['time', 'level', 'msg'])

/** A JSON-lines logger; lines below `level` are dropped before any work is done. */
export function createJsonLogger(options: JsonLoggerOptions): Logger {
  const minimum = RANK[options.level]
  const stream = options.stream ?? process.stdout
  const now = options.now ?? Date.now
  const make = (bound: Readonly<Record<string, unknown>>): Logger => {
    const emit = (
      level: Exclude<LogLevel, 'silent'>,
      msg: string,
      fields?: Readonly<Record<string, unknown>>,
    ) => {
      if (RANK[level] < minimum) return
      const line: Record<string, unknown> = { time: new Date(now()).toISOString(), level, msg }
      const seen = new WeakSet<object>()
      for (const source of [bound, fields ?? {}]) {
        for (const [key, value] of Object.entries(source)) {
          const name = RESERVED.has(key) ? `field_${key}` : key
          line[name] = isSecretKey(key) ? REDACTED : sanitize(value, 1, seen)
        }
      }
      stream.write(`${JSON.stringify(line)}\n`)
    }
    return {
      debug: (msg, fields) => emit('debug', msg, fields),
      info: (msg, fields) => emit('info', msg, fields),
      warn: (msg, fields) => emit('warn', msg, fields),
      error: (msg, fields) => emit('error', msg, fields),
      child: (fields) => make({ ...bound, ...fields }),
    }
  }
  return make(options.fields ?? {})
}

/** A logger that drops everything (tests, library use). */
export function silentLogger(): Logger {
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: () => {},
    error: () => {},
    child: () => logger,
  }
  return logger
}
