/**
 * End to end, as a user starts it: `vcon serve --port 0 --data DIR` from source prints an admin token once and
 * its address as a JSON log line; the token creates and reads a vCon over HTTP, the pipeline workers process
 * it, requests without a token get 401, SIGTERM exits 0; a restart on the same folder prints no new token and
 * still has the vCon; a token made with `vcon token create` works with its scope.
 */
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { PIPELINE_JOBS } from '../../src/observability/metric-names.js'
import { REPO_ROOT, runVcon, spawnVcon } from './spawn-cli.js'

const VCON_FILE = join(REPO_ROOT, 'examples/support-call.vcon.json')
const TOKEN = /vck_[0-9a-f]+_[A-Za-z0-9_-]{43}/g

let dataDir: string
let body: string
let uuid: string

before(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'vconkit-start-'))
  body = await readFile(VCON_FILE, 'utf8')
  uuid = (JSON.parse(body) as { uuid: string }).uuid
})

after(async () => {
  await rm(dataDir, { recursive: true, force: true })
})

async function listening(server: ReturnType<typeof spawnVcon>): Promise<string> {
  const line = await server.waitForLog('listening')
  assert.equal(line.host, '127.0.0.1')
  assert.equal(typeof line.port, 'number')
  assert.ok((line.port as number) > 0, 'port 0 is replaced by the real port')
  assert.equal(line.url, `http://127.0.0.1:${line.port}`)
  return line.url as string
}

/** Polls /metrics until the default chain has finished a job (the workers run in the same process). */
async function waitForPipeline(base: string, token: string): Promise<string> {
  const deadline = Date.now() + 20_000
  for (;;) {
    const text = await (
      await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${token}` } })
    ).text()
    const done = new RegExp(
      `^${PIPELINE_JOBS}\\{[^}]*chain="default"[^}]*outcome="done"[^}]*\\} (\\d+)`,
      'm',
    ).exec(text)
    if (done !== null && Number(done[1]) >= 1) return text
    if (Date.now() > deadline) throw new Error(`the pipeline did not finish a job:\n${text}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('vcon serve, from nothing', { timeout: 120_000 }, () => {
  let adminToken = ''
  let readToken = ''

  test('first start: token printed once, vCon created and read back, 401 without token, SIGTERM exits 0', async () => {
    const server = spawnVcon(['serve', '--port', '0', '--data', dataDir])
    try {
      const base = await listening(server)
      const tokens = server.stdout().match(TOKEN) ?? []
      assert.equal(tokens.length, 1, `exactly one token is printed:\n${server.stdout()}`)
      adminToken = tokens[0] as string
      assert.match(server.stdout(), /admin token was created\. It is shown only this once/)
      // The token's log line names its public id only.
      const created = server
        .logLines()
        .find((l) => l.msg === 'no API token existed: created an admin token and printed it once')
      assert.equal(created?.tokenId, adminToken.split('_')[1])
      assert.ok(
        !JSON.stringify(server.logLines()).includes(adminToken),
        'the secret is not in any log line',
      )

      const auth = { authorization: `Bearer ${adminToken}` }
      // Into the default chain's list, so that the workers have a job to do.
      const post = await fetch(`${base}/v1/vcons?ingress=default`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body,
      })
      assert.equal(post.status, 201, await post.clone().text())
      assert.equal(((await post.json()) as { uuid: string }).uuid, uuid)

      const get = await fetch(`${base}/v1/vcons/${uuid}`, { headers: auth })
      assert.equal(get.status, 200)
      assert.equal(await get.text(), body, 'GET returns the stored JSON byte for byte')

      const conserverHeader = await fetch(`${base}/vcon/${uuid}`, {
        headers: { 'x-conserver-api-token': adminToken },
      })
      assert.equal(conserverHeader.status, 200)
      await conserverHeader.arrayBuffer()

      const anonymous = await fetch(`${base}/v1/vcons/${uuid}`)
      assert.equal(anonymous.status, 401)
      assert.equal(
        ((await anonymous.json()) as { error: { code: string } }).error.code,
        'UNAUTHENTICATED',
      )
      const wrong = await fetch(`${base}/v1/vcons/${uuid}`, {
        headers: { authorization: 'Bearer vck_0_nope' },
      })
      assert.equal(wrong.status, 401)
      await wrong.arrayBuffer()

      const metrics = await waitForPipeline(base, adminToken)
      assert.match(metrics, /^# TYPE vconkit_queue_depth gauge$/m)
      assert.match(metrics, /^vconkit_build_info\{node="v\d+[^"]*",version="[^"]+"\} 1$/m)
    } finally {
      const finished = await server.stop('SIGTERM')
      assert.equal(finished.code, 0, `exit status after SIGTERM\nstderr:\n${finished.stderr}`)
      assert.equal(finished.signal, null)
    }
    const lines = server.logLines().map((l) => l.msg)
    assert.ok(lines.indexOf('shutting down') < lines.indexOf('stopped'))
  })

  test('vcon token create adds a read token to the same folder and prints its secret once', async () => {
    assert.notEqual(adminToken, '', 'runs after the first start')
    const run = await runVcon([
      'token',
      'create',
      '--scope',
      'read',
      '--label',
      'e2e',
      '--data',
      dataDir,
    ])
    assert.equal(run.code, 0, run.stderr)
    const printed = run.stdout.match(TOKEN) ?? []
    assert.equal(printed.length, 1)
    assert.equal(run.stdout, `${printed[0]}\n`, 'stdout holds the secret alone')
    assert.match(
      run.stderr,
      /^created read token [0-9a-f]+ \(stored in .*\); the secret above is shown only this once\n$/,
    )
    readToken = printed[0] as string
  })

  test('restart on the same folder: no new token, the vCon is still there, tokens keep their scopes', async () => {
    const server = spawnVcon(['serve', '--port', '0', '--data', dataDir])
    try {
      const base = await listening(server)
      assert.deepEqual(
        server.stdout().match(TOKEN),
        null,
        `no token is printed again:\n${server.stdout()}`,
      )

      const get = await fetch(`${base}/v1/vcons/${uuid}`, {
        headers: { authorization: `Bearer ${adminToken}` },
      })
      assert.equal(get.status, 200)
      assert.equal(await get.text(), body)

      const read = await fetch(`${base}/v1/vcons/${uuid}`, {
        headers: { authorization: `Bearer ${readToken}` },
      })
      assert.equal(read.status, 200)
      await read.arrayBuffer()
      const forbidden = await fetch(`${base}/v1/vcons`, {
        method: 'POST',
        headers: { authorization: `Bearer ${readToken}`, 'content-type': 'application/json' },
        body,
      })
      assert.equal(forbidden.status, 403)
      await forbidden.arrayBuffer()
    } finally {
      const finished = await server.stop('SIGINT')
      assert.equal(finished.code, 0, finished.stderr)
    }
  })

  test('vcon worker runs the workers only and stops on SIGTERM with status 0', async () => {
    const worker = spawnVcon(['worker', '--data', dataDir])
    try {
      const started = await worker.waitForLog('workers started')
      assert.deepEqual(
        (started.chains as { name: string }[]).map((c) => c.name),
        ['default'],
      )
      assert.equal(
        worker.logLines().find((l) => l.msg === 'listening'),
        undefined,
      )
      assert.deepEqual(worker.stdout().match(TOKEN), null)
    } finally {
      const finished = await worker.stop('SIGTERM')
      assert.equal(finished.code, 0, finished.stderr)
    }
  })

  test('a start with an invalid configuration lists every problem on stderr and exits 1', async () => {
    const run = await runVcon(['serve', '--port', '0', '--data', dataDir], {
      ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VCONKIT_'))),
      VCONKIT_LOG_LEVEL: 'loud',
      VCONKIT_DATABASE_URL: 'mysql://x',
    } as Record<string, string>)
    assert.equal(run.code, 1)
    assert.match(run.stderr, /the configuration has 2 errors:/)
    assert.match(run.stderr, /VCONKIT_DATABASE_URL: expected a PostgreSQL URL/)
    assert.match(
      run.stderr,
      /VCONKIT_LOG_LEVEL: expected one of debug, info, warn, error, silent, got "loud"/,
    )
    assert.equal(run.stdout, '')
  })

  test('a port in use is a one-line error and exit status 2', async () => {
    const first = spawnVcon(['serve', '--port', '0', '--data', dataDir])
    try {
      const line = await first.waitForLog('listening')
      const run = await runVcon(['serve', '--port', String(line.port), '--data', dataDir])
      assert.equal(run.code, 2)
      assert.match(
        run.stderr,
        /cannot listen on 127\.0\.0\.1:\d+: the port is in use; choose another with --port or VCONKIT_PORT/,
      )
    } finally {
      assert.equal((await first.stop()).code, 0)
    }
  })
})
