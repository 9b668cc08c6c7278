/**
 * @module PostgreSQL for integration tests: the URL (VCONKIT_TEST_DATABASE_URL, default the local `test` database),
 * a reachability probe, a random schema name per test and its removal afterwards.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const POSTGRES_TEST_URL =
  process.env.VCONKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

/** Undefined when PostgreSQL answers, else why not. */
export async function postgresUnreachable(url = POSTGRES_TEST_URL): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return error instanceof Error ? error.message : String(error)
  } finally {
    await client.end().catch(() => {})
  }
}

/** A schema name of its own per test, so that tests run concurrently and repeatedly without seeing each other. */
export function randomSchema(prefix: string): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`
}

/** Drops a test's schema and everything in it. */
export async function dropSchema(schema: string, url = POSTGRES_TEST_URL): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  } finally {
    await client.end()
  }
}
