/**
 * `vcon privacy …` against a running conserver (the real application over a data folder): the commands send
 * the API calls and print the answers; a refusal is one line with the server's message and exit status 2.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { sampleText } from '../support/http-vcons.js'
import { type LedgerApp, ledgerAppTokens, startLedgerApp } from '../support/start-ledger-app.js'
import { cleanEnv, runVcon } from './spawn-cli.js'

describe('vcon privacy', () => {
  let dir: string
  let app: LedgerApp
  const tokens = ledgerAppTokens()
  const uuid = randomUUID()
  const privacy = (...args: string[]) =>
    runVcon(['privacy', ...args, '--server', app.url], cleanEnv({ VCONKIT_TOKEN: tokens.admin }))

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-privacy-cli-'))
    app = await startLedgerApp({ dataDir: join(dir, 'data'), tokens })
    const created = await app.fetch('/v1/vcons', {
      method: 'POST',
      headers: { 'content-type': 'application/vcon+json' },
      body: sampleText(uuid),
    })
    assert.equal(created.status, 201)
  })
  after(async () => {
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  })

  test('access finds the person; restrict, restrictions and lift round-trip', async () => {
    const access = await privacy('access', 'tel:+1 555 123 0002')
    assert.equal(access.code, 0, access.stderr)
    const found = JSON.parse(access.stdout) as { vcons: { uuid: string }[] }
    assert.deepEqual(
      found.vcons.map((v) => v.uuid),
      [uuid],
    )
    const restricted = await privacy('restrict', 'mailto:Bob@Example.com', '--reason', 'objection')
    assert.equal(restricted.code, 0, restricted.stderr)
    const { id } = JSON.parse(restricted.stdout) as { id: string }
    const listed = JSON.parse((await privacy('restrictions')).stdout) as { items: { id: string }[] }
    assert.deepEqual(
      listed.items.map((r) => r.id),
      [id],
    )
    const lifted = await privacy('lift', id)
    assert.equal(lifted.code, 0, lifted.stderr)
    assert.match(lifted.stderr, /lifted/)
  })

  test('export writes the archive; erase removes the vCon with a receipt', async () => {
    const out = join(dir, 'export.tar.gz')
    const exported = await privacy('export', 'tel:+15551230002', '--out', out)
    assert.equal(exported.code, 0, exported.stderr)
    const bytes = await readFile(out)
    assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], 'not a gzip file')
    const erased = await privacy('erase', uuid)
    assert.equal(erased.code, 0, erased.stderr)
    const answer = JSON.parse(erased.stdout) as { erased: string[]; events: { entryId?: string }[] }
    assert.deepEqual(answer.erased, [uuid])
    assert.ok(answer.events[0]?.entryId, 'no ledger entry id for the deletion')
    assert.equal((await app.fetch(`/v1/vcons/${uuid}`)).status, 404)
  })

  test('a refusal is one line with the server message; a missing --server is a usage error', async () => {
    const bad = await privacy('withdraw', 'tel:+15551230002', '--purpose', 'astrology')
    assert.equal(bad.code, 2)
    assert.match(bad.stderr, /purposes\[0\].*not a known purpose/)
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/, 'a stack trace was printed')
    const noServer = await runVcon(['privacy', 'restrictions'], cleanEnv())
    assert.equal(noServer.code, 2)
    assert.match(noServer.stderr, /--server URL/)
  })
})
