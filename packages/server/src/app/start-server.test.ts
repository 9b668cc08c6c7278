import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, test } from 'node:test'
import { resolveConfig } from '../config/load-config.js'
import type { ServerConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import { PIPELINE_JOBS } from '../observability/metric-names.js'
import type { StepFactory } from '../pipeline/step.js'
import { createAppContext } from './create-app-context.js'
import { sqliteFile } from './open-backends.js'
import { startServer } from './start-server.js'

const VCON = await readFile(
  new URL('../../../../examples/support-call.vcon.json', import.meta.url),
  'utf8',
)
const UUID = (JSON.parse(VCON) as { uuid: string }).uuid
const SECRET_BYTES = (size: number) => new Uint8Array(size).fill(7)

let dir: string

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vconkit-app-'))
})

afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

function config(text: string): ServerConfig {
  const result = resolveConfig({ text, source: join(dir, 'c.yaml'), env: {}, cwd: dir })
  assert.ok(result.ok, JSON.stringify(result.ok ? [] : result.problems))
  return result.config
}

/** A step type whose runs the test controls: each run waits for `release()` or the shutdown signal. */
function controlledStep() {
  let started: () => void = () => {}
  let release: () => void = () => {}
  const startedP = new Promise<void>((resolve) => {
    started = resolve
  })
  const releaseP = new Promise<void>((resolve) => {
    release = resolve
  })
  let runs = 0
  const factory: StepFactory = {
    type: 'controlled',
    create: (name) => ({
      name,
      type: 'controlled',
      async run(vcon, ctx) {
        runs++
        started()
        await Promise.race([
          releaseP,
          new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true })),
        ])
        if (ctx.signal.aborted) return { kind: 'fail', reason: 'interrupted' }
        return { kind: 'continue', vcon, changed: false }
      },
    }),
  }
  return { factory, started: startedP, release: () => release(), runs: () => runs }
}

/** A step type that finishes at once. */
const instantStep: StepFactory = {
  type: 'controlled',
  create: (name) => ({
    name,
    type: 'controlled',
    run: async (vcon) => ({ kind: 'continue', vcon, changed: false }),
  }),
}

function collector() {
  const lines: string[] = []
  return { stream: { write: (text: string) => lines.push(text) }, text: () => lines.join('') }
}

async function post(url: string, token: string): Promise<Response> {
  return fetch(`${url}/v1/vcons?ingress=default`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: VCON,
  })
}

async function jobsDone(metrics: { render(): Promise<string> }): Promise<number> {
  const text = await metrics.render()
  const match = new RegExp(
    `^${PIPELINE_JOBS}\\{chain="default",outcome="done"\\} (\\d+)$`,
    'm',
  ).exec(text)
  return match === null ? 0 : Number(match[1])
}

async function until(check: () => Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

const CHAIN = `port: 0
chains:
  - name: default
    ingress: [default]
    steps: [controlled]
`

describe('createAppContext', () => {
  test('embedded default: one SQLite file in the data folder, migrated, with a first admin token', async () => {
    const out = collector()
    const ctx = await createAppContext(config('port: 0\n'), {
      stdout: out.stream,
      random: SECRET_BYTES,
    })
    try {
      assert.equal(ctx.store.kind, 'sqlite')
      assert.equal(ctx.queue.kind, 'sqlite')
      assert.equal(sqliteFile(ctx.config), join(dir, 'data', 'vconkit.db'))
      assert.equal(await ctx.tokens.count(), 1)
      const [record] = await ctx.tokens.list()
      assert.equal(record?.scope, 'admin')
      assert.match(out.text(), /\n {4}vck_070707070707_[A-Za-z0-9_-]{43}\n/)
      assert.deepEqual(
        ctx.chains.all().map((c) => c.config.name),
        ['default'],
      )
    } finally {
      await ctx.queue.close()
      await ctx.store.close()
    }
  })

  test('a bad step option stops the start with CONFIG_INVALID naming the key, before any file is made', async () => {
    const bad = config(
      'chains:\n  - { name: c, ingress: [i], steps: [{ use: tag, options: {} }] }\n',
    )
    await assert.rejects(
      createAppContext(bad, { stdout: collector().stream }),
      (error: unknown) => {
        assert.ok(error instanceof ServerError)
        assert.equal(error.code, 'CONFIG_INVALID')
        assert.match(error.message, /^chains\[0\]\.steps\[0\]\.options\.tags/)
        return true
      },
    )
  })
})

describe('startServer and graceful shutdown', () => {
  test('a job running at stop finishes within the grace period, then everything closes', async () => {
    const step = controlledStep()
    const out = collector()
    const ctx = await createAppContext(config(`${CHAIN}shutdown: { grace_ms: 10000 }\n`), {
      stdout: out.stream,
      steps: [step.factory],
      random: SECRET_BYTES,
    })
    const token = /vck_[0-9a-f]+_[A-Za-z0-9_-]+/.exec(out.text())?.[0] ?? ''
    const server = await startServer(ctx, { api: true, workers: true, handleSignals: false })
    assert.ok(server.url?.startsWith('http://127.0.0.1:'))
    assert.equal((await post(server.url as string, token)).status, 201)
    await step.started

    const stopping = server.stop('test')
    // New requests are refused while the job drains.
    await new Promise((resolve) => setTimeout(resolve, 100))
    await assert.rejects(fetch(`${server.url}/health`))
    step.release()
    await stopping
    await server.stopped
    assert.equal(await jobsDone(ctx.metrics), 1, 'the running job completed')
    assert.equal(step.runs(), 1)
    await assert.rejects(ctx.store.get(UUID), 'the store is closed')
    assert.match(out.text(), /"msg":"shutting down","reason":"test"/)
    assert.match(out.text(), /"msg":"stopped"/)
  })

  test('a job still running when the grace period ends goes back to the queue and runs after a restart', async () => {
    const step = controlledStep()
    const out = collector()
    const first = await createAppContext(config(`${CHAIN}shutdown: { grace_ms: 200 }\n`), {
      stdout: out.stream,
      steps: [step.factory],
      random: SECRET_BYTES,
    })
    const token = /vck_[0-9a-f]+_[A-Za-z0-9_-]+/.exec(out.text())?.[0] ?? ''
    const server = await startServer(first, { api: true, workers: true, handleSignals: false })
    assert.equal((await post(server.url as string, token)).status, 201)
    await step.started
    const began = Date.now()
    await server.stop('test')
    assert.ok(Date.now() - began < 5_000, 'stop does not wait for the job beyond the grace period')
    assert.equal(await jobsDone(first.metrics), 0)

    const out2 = collector()
    const second = await createAppContext(config(`${CHAIN}queue: { backoff_ms: 1 }\n`), {
      stdout: out2.stream,
      steps: [instantStep],
    })
    const again = await startServer(second, { api: false, workers: true, handleSignals: false })
    try {
      assert.equal(again.url, undefined)
      await until(async () => (await jobsDone(second.metrics)) === 1)
      // The acknowledgement is committed just after the job's outcome is counted.
      await until(async () => (await second.queue.depth()) === 0)
      assert.equal(await jobsDone(second.metrics), 1, 'processed once')
    } finally {
      await again.stop()
      if (process.env.DEBUG_APP) console.log(out2.text())
    }
  })
})
