/**
 * ledger.mode remote: a conserver registers its lifecycle events at another vconkit conserver's SCRAPI
 * endpoint (which trusts its issuer key through ledger-trusted-issuers/), and keeps the receipts beside its vCons.
 */
import assert from 'node:assert/strict'
import { createPublicKey, randomUUID } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { decodeCoseKeySet, publicPart, verifyTransparentStatement } from '@vconkit/ledger'
import { TRUSTED_ISSUERS_DIR } from '../src/ledger/conserver-ledger.js'
import { LEDGER_KEY_FILES, loadOrCreateKey } from '../src/ledger/ledger-keys.js'
import { sampleText } from './support/http-vcons.js'
import { ledgerAppTokens, startLedgerApp } from './support/start-ledger-app.js'

test('a conserver in mode remote registers at another conserver and verifies its receipts', async () => {
  const ledgerDir = await mkdtemp(join(tmpdir(), 'vconkit-remote-ledger-'))
  const clientDir = await mkdtemp(join(tmpdir(), 'vconkit-remote-client-'))
  // The client's issuer key exists before the ledger starts, and the ledger trusts its public half.
  const clientIssuer = loadOrCreateKey(clientDir, LEDGER_KEY_FILES.issuer)
  mkdirSync(join(ledgerDir, TRUSTED_ISSUERS_DIR))
  writeFileSync(
    join(ledgerDir, TRUSTED_ISSUERS_DIR, 'client.pem'),
    createPublicKey(clientIssuer.privateKey).export({ format: 'pem', type: 'spki' }) as string,
  )
  const ledgerTokens = ledgerAppTokens()
  const ledger = await startLedgerApp({ dataDir: ledgerDir, tokens: ledgerTokens })
  const client = await startLedgerApp({
    dataDir: clientDir,
    tokens: ledgerAppTokens(),
    ledger: { mode: 'remote', url: ledger.url },
    env: { VCONKIT_LEDGER_TOKEN: ledgerTokens.admin },
  })
  try {
    assert.equal(client.ctx.ledger?.mode, 'remote')
    // The client serves no SCRAPI of its own.
    assert.equal((await fetch(`${client.url}/.well-known/scitt-keys`)).status, 404)
    const uuid = randomUUID()
    const created = await client.fetch('/v1/vcons', {
      method: 'POST',
      headers: { 'content-type': 'application/vcon+json' },
      body: sampleText(uuid),
    })
    assert.equal(created.status, 201)
    await client.ctx.ledger?.recorder.flush()
    const body = (await (await client.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as {
      events: { event: string; transparentStatement: string | null }[]
    }
    assert.deepEqual(
      body.events.map((e) => e.event),
      ['vcon_created'],
    )
    const logKeys = decodeCoseKeySet(
      new Uint8Array(await (await fetch(`${ledger.url}/.well-known/scitt-keys`)).arrayBuffer()),
    )
    const verdict = verifyTransparentStatement(
      Buffer.from(body.events[0]?.transparentStatement as string, 'base64url'),
      {
        issuerKeys: [publicPart(clientIssuer)],
        logKeys,
        logIssuer: ledger.ctx.ledger?.log?.issuer,
      },
    )
    assert.equal(verdict.valid, true)
    // The ledger holds the entry under the vCon's subject.
    const page = (await (
      await ledger.fetch(`/entries?sub=urn:uuid:${uuid}`, { token: ledgerTokens.read })
    ).json()) as { entries: unknown[] }
    assert.equal(page.entries.length, 1)
  } finally {
    await client.stop()
    await ledger.stop()
    await rm(ledgerDir, { recursive: true, force: true })
    await rm(clientDir, { recursive: true, force: true })
  }
})
