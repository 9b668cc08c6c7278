/**
 * The many-machines setup, as a user starts it: VCONKIT_DATABASE_URL (PostgreSQL) and VCONKIT_REDIS_URL (Redis)
 * with a `vcon serve` and a separate `vcon worker` process sharing them. A vCon posted to the API is stored in
 * PostgreSQL, processed by the pipeline through the Redis queue (whichever process takes the job), and both
 * processes stop with status 0. Each run has its own schema and key prefix, removed afterwards. Without the
 * services the test is skipped, except under CI=true where it fails.
 */
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import pg from 'pg'
import { dropPrefix, REDIS_TEST_URL, redisUnreachable } from '../support/redis-test.js'
import { cleanEnv, REPO_ROOT, spawnVcon } from './spawn-cli.js'

const DATABASE_URL =
  process.env.VCONKIT_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'
const TOKEN = /vck_[0-9a-f]+_[A-Za-z0-9_-]{43}/

async function postgresUnreachable(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: DATABASE_URL, connectionTimeoutMillis: 2_000 })
  try {
    await client.connect()
    await client.query('SELECT 1')
    return undefined
  } catch (error) {
    return `PostgreSQL is unreachable at ${DATABASE_URL} (${(error as Error).message})`
  } finally {
    await client.end().catch(() => {})
  }
}

const down = (await postgresUnreachable()) ?? (await redisUnreachable())

if (down !== undefined) {
  if (process.env.CI === 'true') {
    test('vcon serve + vcon worker on PostgreSQL and Redis: the services must be reachable in CI', () => {
      assert.fail(down)
    })
  } else {
    test.skip(`vcon serve + vcon worker on PostgreSQL and Redis: skipped, ${down}`)
  }
} else {
  test('vcon serve + vcon worker share PostgreSQL and Redis', { timeout: 120_000 }, async () => {
    const suffix = randomBytes(6).toString('hex')
    const schema = `vck_start_${suffix}`
    const prefix = `vconkit-start-${suffix}`
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-distributed-'))
    const configFile = join(dir, 'conserver.yaml')
    await writeFile(
      configFile,
      `port: 0
postgres: { schema: ${schema}, pool_size: 4 }
redis: { prefix: ${prefix} }
chains:
  - name: default
    ingress: [default]
    steps: [validate, { use: tag, options: { tags: { processed: "yes" } } }]
`,
    )
    const env = cleanEnv({ VCONKIT_DATABASE_URL: DATABASE_URL, VCONKIT_REDIS_URL: REDIS_TEST_URL })
    const body = await readFile(join(REPO_ROOT, 'examples/support-call.vcon.json'), 'utf8')
    const uuid = (JSON.parse(body) as { uuid: string }).uuid
    const server = spawnVcon(['serve', '--config', configFile], env)
    let worker: ReturnType<typeof spawnVcon> | undefined
    try {
      const ready = await server.waitForLog('backends ready')
      assert.equal(ready.store, 'postgres')
      assert.equal(ready.queue, 'redis')
      assert.equal(ready.dataDir, undefined, 'no data folder is used')
      const base = (await server.waitForLog('listening')).url as string
      const token = TOKEN.exec(server.stdout())?.[0]
      assert.ok(token !== undefined, 'the first start prints an admin token')

      worker = spawnVcon(['worker', '--config', configFile], env)
      await worker.waitForLog('workers started')
      assert.equal(TOKEN.exec(worker.stdout()), null, 'a worker never prints a token')

      const auth = { authorization: `Bearer ${token}` }
      const post = await fetch(`${base}/v1/vcons?ingress=default`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      })
      assert.equal(post.status, 201, await post.clone().text())
      await post.arrayBuffer()

      // The tag step's result is stored by whichever process ran the job.
      const deadline = Date.now() + 30_000
      for (;;) {
        const got = await fetch(`${base}/v1/vcons/${uuid}`, { headers: auth })
        assert.equal(got.status, 200)
        const text = await got.text()
        if (text.includes('processed:yes')) break
        if (Date.now() > deadline) throw new Error(`the pipeline did not tag the vCon:\n${text}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      const ready2 = await fetch(`${base}/ready`)
      assert.equal(ready2.status, 200)
      await ready2.arrayBuffer()
    } finally {
      const stopped = await Promise.all([server.stop(), worker?.stop()])
      assert.equal(stopped[0].code, 0, stopped[0].stderr)
      if (stopped[1] !== undefined) assert.equal(stopped[1].code, 0, stopped[1].stderr)
      const client = new pg.Client({ connectionString: DATABASE_URL })
      await client.connect()
      await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
      await client.end()
      await dropPrefix(prefix)
      await rm(dir, { recursive: true, force: true })
    }
  })
}
