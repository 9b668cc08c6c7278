/**
 * `vcon audit replay --state` against a ledger whose signed proof of growth does not match what it serves: a
 * proxy in front of a real conserver answers `GET /consistency` with a receipt, signed by the log's own key, that
 * proves growth from the saved checkpoint to a tree with another last leaf. The replay of the served entries
 * still equals the checkpoint, so only the comparison of the proof's root with the replayed one catches it.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  createConsistencyReceiptFromTree,
  leafHash,
  MerkleTree,
  signingKeyFromPrivateKey,
} from '@vconkit/ledger'
import { LEDGER_KEY_FILES } from '../src/ledger/ledger-keys.js'
import { cleanEnv, runVcon } from './start/spawn-cli.js'
import { postSample } from './support/lifecycle-events.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

describe('vcon audit replay: the ledger proof must lead to the replayed root', () => {
  let dir: string
  let tokens: LedgerAppTokens
  let app: LedgerApp
  let proxy: Server
  let proxyUrl: string
  let logKeyFile: string

  /** A receipt of consistency from `size1` to the served size, over a tree whose last leaf was swapped. */
  async function forgedConsistency(size1: number, size2: number): Promise<Uint8Array> {
    const page = (await (await app.fetch(`/entries?from=0&limit=${size2}`)).json()) as {
      entries: { statement: string }[]
    }
    const tree = new MerkleTree()
    page.entries.forEach((entry, i) => {
      const statement = Buffer.from(entry.statement, 'base64url')
      tree.appendLeafHash(leafHash(i === size2 - 1 ? Buffer.from('another leaf') : statement))
    })
    const key = signingKeyFromPrivateKey(readFileSync(join(dir, LEDGER_KEY_FILES.log), 'utf8'))
    const issuer = app.ctx.ledger?.log?.issuer as string
    return createConsistencyReceiptFromTree(tree, size1, {
      issuer,
      key,
      issuedAt: Math.floor(Date.now() / 1000),
    })
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-audit-replay-'))
    tokens = ledgerAppTokens()
    app = await startLedgerApp({ dataDir: dir, tokens })
    logKeyFile = join(dir, 'log-keys.cbor')
    const keySet = await fetch(`${app.url}/.well-known/scitt-keys`)
    writeFileSync(logKeyFile, new Uint8Array(await keySet.arrayBuffer()))
    proxy = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://proxy')
      const answer = async (): Promise<void> => {
        if (url.pathname === '/consistency') {
          const from = Number(url.searchParams.get('from'))
          const to = Number(url.searchParams.get('to'))
          res.writeHead(200, { 'content-type': 'application/cose' })
          res.end(await forgedConsistency(from, to))
          return
        }
        const upstream = await fetch(`${app.url}${url.pathname}${url.search}`, {
          headers: { authorization: req.headers.authorization ?? '' },
        })
        res.writeHead(upstream.status, {
          'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
        })
        res.end(Buffer.from(await upstream.arrayBuffer()))
      }
      answer().catch((error: unknown) => {
        res.writeHead(500)
        res.end(String(error))
      })
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`
  })
  after(async () => {
    proxy.closeAllConnections()
    await new Promise((resolve) => proxy.close(resolve))
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const replay = (ledger: string, state: string) =>
    runVcon(
      ['audit', 'replay', '--ledger', ledger, '--state', state, '--log-key', logKeyFile],
      cleanEnv({ VCONKIT_TOKEN: tokens.read }),
    )

  async function ingest(): Promise<void> {
    await postSample(app)
    await app.ctx.ledger?.recorder.flush()
  }

  test('the honest ledger agrees; the forged proof of growth is a failure naming both roots', async () => {
    await ingest()
    const state = join(dir, 'state.json')
    const first = await replay(app.url, state)
    assert.equal(first.code, 0, first.stdout + first.stderr)
    await ingest()
    await ingest()

    const saved = readFileSync(state, 'utf8')
    const forged = await replay(proxyUrl, state)
    assert.equal(forged.code, 1, forged.stdout + forged.stderr)
    assert.match(forged.stdout, /only grew since the saved checkpoint/)
    assert.match(forged.stdout, /FAIL the ledger's consistency proof \d+ -> \d+: it leads to root/)
    // A failed run keeps the saved checkpoint for the next one.
    assert.equal(readFileSync(state, 'utf8'), saved)

    const honest = await replay(app.url, state)
    assert.equal(honest.code, 0, honest.stdout + honest.stderr)
    assert.match(honest.stdout, /consistency proof \d+ -> \d+ leads to the replayed root/)
  })
})
