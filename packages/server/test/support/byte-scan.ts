/**
 * @module Test helper: searches every byte a conserver keeps for some strings: the files of a folder, the
 * relation files of a PostgreSQL schema (tables, TOAST tables, indexes, and pg_statistic, after a CHECKPOINT so
 * the files hold what the buffers hold), and every Redis key under a prefix (name, DUMP, and value by type).
 * Needles are matched in the bytes read as latin1 and lowercased, so ASCII needles match in any case; UTF-16
 * forms are given as their own needles.
 */
import assert from 'node:assert/strict'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { Redis } from 'ioredis'
import pg from 'pg'
import { POSTGRES_TEST_URL } from './postgres-test.js'
import { REDIS_TEST_URL } from './redis-test.js'

export interface Needle {
  readonly name: string
  readonly text: string
}

/** A string in the forms it is likely kept in: as written (UTF-8 or ASCII), and UTF-16LE. */
export function needleForms(name: string, value: string): Needle[] {
  return [
    { name, text: value.toLowerCase() },
    {
      name: `${name} (UTF-16)`,
      text: Buffer.from(value.toLowerCase(), 'utf16le').toString('latin1'),
    },
  ]
}

/** The needles found in `bytes`, each as "where: needle". */
export function hitsIn(bytes: Buffer, where: string, needles: readonly Needle[]): string[] {
  const text = bytes.toString('latin1').toLowerCase()
  return needles
    .filter((n) => text.includes(n.text.toLowerCase()))
    .map((n) => `${where}: ${n.name}`)
}

/** Every file under `dir`, at any depth. */
export function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.isFile() ? [join(dir, e.name)] : [],
  )
}

/** Where the conserver under test keeps data besides its folder. */
export interface Backends {
  readonly schema?: string
  readonly prefix?: string
}

/**
 * The relation files (every segment) of the schema's tables, their TOAST tables and all their indexes, and of
 * pg_statistic, where ANALYZE keeps sampled column values.
 */
export async function postgresFiles(
  client: pg.Client,
  schema: string,
): Promise<[string, string][]> {
  const dataDir = (await client.query<{ data_directory: string }>('SHOW data_directory')).rows[0]
    ?.data_directory as string
  const rels = await client.query<{ name: string; path: string | null }>(
    `WITH t AS (SELECT c.oid, c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = $1 AND c.relkind IN ('r', 'm', 'p')),
     rels AS (SELECT oid FROM t UNION SELECT reltoastrelid FROM t WHERE reltoastrelid <> 0),
     idx AS (SELECT indexrelid AS oid FROM pg_index WHERE indrelid IN (SELECT oid FROM rels)),
     every AS (SELECT oid FROM rels UNION SELECT oid FROM idx
       UNION SELECT 'pg_catalog.pg_statistic'::regclass::oid)
     SELECT c.relname AS name, pg_relation_filepath(c.oid) AS path FROM every JOIN pg_class c USING (oid)`,
    [schema],
  )
  const files: [string, string][] = []
  for (const { name, path } of rels.rows) {
    if (path === null) continue
    for (let segment = 0; ; segment++) {
      const file = join(dataDir, segment === 0 ? path : `${path}.${segment}`)
      if (!existsSync(file)) break
      files.push([name, file])
    }
  }
  return files
}

/** Every key under the prefix, its name and its value read by type, and its DUMP. */
export async function redisValues(redis: Redis, prefix: string): Promise<[string, Buffer][]> {
  const out: [string, Buffer][] = []
  let cursor = '0'
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000)
    cursor = next
    for (const key of keys) {
      const type = await redis.type(key)
      const parts: (string | Buffer | null)[] = [key, await redis.dumpBuffer(key)]
      if (type === 'string') parts.push(await redis.getBuffer(key))
      if (type === 'hash') {
        for (const [field, value] of Object.entries(await redis.hgetallBuffer(key)))
          parts.push(field, value)
      }
      if (type === 'list') parts.push(...(await redis.lrangeBuffer(key, 0, -1)))
      if (type === 'set') parts.push(...(await redis.smembersBuffer(key)))
      if (type === 'zset') parts.push(...(await redis.zrangeBuffer(key, 0, -1)))
      if (type === 'stream') parts.push(JSON.stringify(await redis.xrange(key, '-', '+')))
      const bytes = Buffer.concat(parts.map((p) => (p === null ? Buffer.alloc(0) : Buffer.from(p))))
      out.push([key, bytes])
    }
  } while (cursor !== '0')
  return out
}

/**
 * Every hit of a needle in the bytes kept, as "where: needle". `analyse` names tables of the schema to ANALYZE
 * first (as autovacuum would), so that PostgreSQL's statistics hold sampled values too.
 */
export async function scanKeptBytes(
  t: TestContext,
  dir: string,
  needles: readonly Needle[],
  b: Backends,
  analyse: readonly string[] = [],
): Promise<string[]> {
  const hits: string[] = []
  for (const file of filesUnder(dir)) hits.push(...hitsIn(readFileSync(file), file, needles))
  if (b.schema !== undefined) {
    const client = new pg.Client({ connectionString: POSTGRES_TEST_URL })
    await client.connect()
    try {
      if (analyse.length > 0) {
        const schema = b.schema
        await client.query(`ANALYZE ${analyse.map((table) => `"${schema}"."${table}"`).join(', ')}`)
      }
      // Dirty pages reach the files at a checkpoint; the scan reads the files, as a thief of the disk would.
      await client.query('CHECKPOINT')
      const files = await postgresFiles(client, b.schema)
      assert.ok(files.length >= 10, `the test schema has relation files (${files.length})`)
      for (const [name, file] of files) {
        let bytes: Buffer
        try {
          bytes = readFileSync(file)
        } catch (error) {
          const why = `cannot read the PostgreSQL file ${file} (${(error as Error).message}); run the test as root or as the postgres user`
          if (process.env.CI === 'true') assert.fail(why)
          t.diagnostic(why)
          continue
        }
        hits.push(...hitsIn(bytes, `postgres ${name} (${file})`, needles))
      }
    } finally {
      await client.end()
    }
  }
  if (b.prefix !== undefined) {
    const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 })
    try {
      for (const [key, bytes] of await redisValues(redis, b.prefix))
        hits.push(...hitsIn(bytes, `redis ${key}`, needles))
    } finally {
      redis.disconnect()
    }
  }
  return hits
}
