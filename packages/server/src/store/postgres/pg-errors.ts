/**
 * @module PostgreSQL failures that mean "not reachable now" become ServerError('UNAVAILABLE'), so the API answers
 * 503 with Retry-After and recovers by itself when the database returns; and the one transaction helper.
 */
import type { Pool, PoolClient } from 'pg'
import { ServerError } from '../../errors/server-error.js'

/** Node socket errors of a database that is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
])

/**
 * SQLSTATE classes (PostgreSQL Appendix A) worth retrying later: 08 connection exception, 53 insufficient
 * resources (too many connections, disk full), 57P admin shutdown / crash / cannot connect now, and 40
 * transaction rollback (serialization failure, deadlock), which a retry of the request resolves.
 */
function isTransientSqlState(code: string): boolean {
  return /^(08|53|40|57P)/.test(code)
}

/** node-postgres reports a lost or unobtainable connection with these messages and no code. */
const CONNECTION_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|not queryable|Client was closed|Cannot use a pool after calling end/i

/** True for an error (or one it wraps) that says the database cannot be reached now. */
export function isUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 4 || error === null || typeof error !== 'object') return false
  const { code, message, errors, cause } = error as {
    code?: unknown
    message?: unknown
    errors?: unknown
    cause?: unknown
  }
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || isTransientSqlState(code)))
    return true
  if (typeof message === 'string' && CONNECTION_MESSAGES.test(message)) return true
  // Connecting to "localhost" tries ::1 and 127.0.0.1 and fails with an AggregateError of both.
  if (Array.isArray(errors) && errors.some((e) => isUnavailable(e, depth + 1))) return true
  return isUnavailable(cause, depth + 1)
}

/** Rethrows `error`, as ServerError('UNAVAILABLE') when it means the database is unreachable. */
export function rethrowPg(error: unknown): never {
  if (error instanceof ServerError) throw error
  if (isUnavailable(error)) {
    const reason = error instanceof Error ? error.message : String(error)
    throw new ServerError(
      'UNAVAILABLE',
      `PostgreSQL is not reachable now (${reason}); retry shortly`,
      {
        retryAfter: 2,
        cause: error,
      },
    )
  }
  throw error
}

/** Runs `work` with the error mapping of `rethrowPg`. */
export async function guardPg<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work()
  } catch (error) {
    rethrowPg(error)
  }
}

/**
 * Runs `work` in one transaction on one pooled connection: COMMIT on success, ROLLBACK on failure. A connection
 * that failed is destroyed rather than returned to the pool. Errors are mapped as by `rethrowPg`.
 */
export async function inTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  return guardPg(async () => {
    const client = await pool.connect()
    let broken: Error | undefined
    // A connection that drops while checked out emits 'error' on the client as well as failing its query; the
    // pool only listens to idle clients, so without this listener that event would end the process.
    const onError = (error: Error): void => {
      broken = error
    }
    client.on('error', onError)
    try {
      await client.query('BEGIN')
      const result = await work(client)
      await client.query('COMMIT')
      return result
    } catch (error) {
      try {
        await client.query('ROLLBACK')
      } catch (rollbackError) {
        broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError))
      }
      throw error
    } finally {
      client.off('error', onError)
      client.release(broken)
    }
  })
}
