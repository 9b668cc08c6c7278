import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  attachReceipt,
  createLifecycleEvent,
  createLifecycleStatement,
  createTransparencyLog,
  encodeCoseKeySet,
  generateSigningKey,
  MemoryLedgerStorage,
  publicPart,
} from '@vconkit/ledger'
import { runCli, SPEC } from './support/run-cli.js'

describe('vcon audit verify (offline)', () => {
  let dir: string
  let logKeys: string
  let issuerPem: string
  let receiptsJson: string
  let statementFile: string

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcon-audit-'))
    const issuer = generateSigningKey()
    const logKey = generateSigningKey()
    const log = await createTransparencyLog({
      storage: new MemoryLedgerStorage(),
      issuer: 'urn:test:ledger',
      logKey,
      issuerKeys: [publicPart(issuer)],
    })
    const uuid = randomUUID()
    const events = []
    let prev: string | null = null
    for (const [seq, name] of (['vcon_created', 'vcon_deleted'] as const).entries()) {
      const created = createLifecycleEvent({
        event: name,
        vconUuid: uuid,
        vconHash: 'c'.repeat(64),
        prev,
        occurredAt: new Date(),
      })
      const statement = createLifecycleStatement(created, {
        iss: 'urn:test:conserver',
        key: issuer,
        iat: new Date(),
      })
      const { receipt, entryId } = await log.register(statement)
      const transparent = attachReceipt(statement, receipt)
      events.push({
        seq,
        event: name,
        digest: created.digest,
        document: created.document,
        entryId,
        statement: Buffer.from(statement).toString('base64url'),
        receipt: Buffer.from(receipt).toString('base64url'),
        transparentStatement: Buffer.from(transparent).toString('base64url'),
      })
      prev = created.digest
      statementFile = join(dir, 'one.cose')
      await writeFile(statementFile, transparent)
    }
    receiptsJson = join(dir, 'receipts.json')
    await writeFile(receiptsJson, JSON.stringify({ uuid, events }))
    logKeys = join(dir, 'log-keys.cbor')
    await writeFile(logKeys, encodeCoseKeySet([publicPart(logKey)]))
    issuerPem = join(dir, 'issuer.pem')
    await writeFile(issuerPem, issuer.publicKey.export({ format: 'pem', type: 'spki' }) as string)
  })
  after(() => rm(dir, { recursive: true, force: true }))

  test('a receipts file and a COSE transparent statement verify: exit 0, one verdict per receipt', async () => {
    const run = await runCli([
      'audit',
      'verify',
      receiptsJson,
      '--log-key',
      logKeys,
      '--issuer-key',
      issuerPem,
    ])
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal((run.stdout.match(/receipt 0: valid \(leaf \d of [12],/g) ?? []).length, 2)
    assert.equal((run.stdout.match(/event document: bound/g) ?? []).length, 2)
    const cose = await runCli([
      'audit',
      'verify',
      statementFile,
      '--log-key',
      logKeys,
      '--issuer-key',
      issuerPem,
    ])
    assert.equal(cose.code, 0, cose.stdout + cose.stderr)
  })

  test('a document that is not the signed one, or another log key, fails with the reason: exit 1', async () => {
    const body = JSON.parse(
      await import('node:fs').then((fs) => fs.readFileSync(receiptsJson, 'utf8')),
    )
    body.events[1].document.reason = 'erasure_request'
    const tampered = join(dir, 'tampered.json')
    await writeFile(tampered, JSON.stringify(body))
    const run = await runCli([
      'audit',
      'verify',
      tampered,
      '--log-key',
      logKeys,
      '--issuer-key',
      issuerPem,
    ])
    assert.equal(run.code, 1)
    assert.match(run.stdout, /event document: INVALID/)
    const otherLog = join(dir, 'other.cbor')
    await writeFile(otherLog, encodeCoseKeySet([publicPart(generateSigningKey())]))
    const wrongLog = await runCli([
      'audit',
      'verify',
      receiptsJson,
      '--log-key',
      otherLog,
      '--issuer-key',
      issuerPem,
    ])
    assert.equal(wrongLog.code, 1)
    assert.match(wrongLog.stdout, /receipt 0: INVALID LEDGER_KEY_UNKNOWN/)
  })

  test('a vCon carrying its receipts as a scitt_receipt analysis entry verifies; an altered receipt is named', async () => {
    // The shape POST /v1/vcons/{uuid}/receipts:attach writes (the analysis entry vcon-server's SCITT link uses):
    // one body element per registered event, with its transparent statement (RFC 9943: the signed statement
    // with its RFC 9942 receipt in the unprotected header).
    const receipts = JSON.parse(readFileSync(receiptsJson, 'utf8')) as {
      events: {
        event: string
        digest: string
        entryId: string
        document: { vcon_hash: string }
        statement: string
        receipt: string
        transparentStatement: string
      }[]
    }
    const body = receipts.events.map((e) => ({
      entry_id: e.entryId,
      vcon_operation: e.event,
      event_digest: e.digest,
      vcon_hash: e.document.vcon_hash,
      cose_receipt: e.receipt,
      transparent_statement: e.transparentStatement,
    }))
    const withReceipts = (entries: typeof body) => {
      const vcon = JSON.parse(readFileSync(join(SPEC, 'ab.vcon'), 'utf8')) as Record<
        string,
        unknown
      >
      const analysis = Array.isArray(vcon.analysis) ? vcon.analysis : []
      const entry = { type: 'scitt_receipt', vendor: 'vconkit', encoding: 'json', body: entries }
      return JSON.stringify({ ...vcon, analysis: [...analysis, entry] })
    }
    const verify = (file: string) =>
      runCli(['audit', 'verify', file, '--log-key', logKeys, '--issuer-key', issuerPem])
    const [created, deleted] = body as [(typeof body)[0], (typeof body)[0]]
    const label = (b: (typeof body)[0]) => `${b.vcon_operation} ${b.entry_id.slice(0, 12)}`

    const good = join(dir, 'with-receipts.vcon')
    await writeFile(good, withReceipts(body))
    const ok = await verify(good)
    assert.equal(ok.code, 0, ok.stdout + ok.stderr)
    assert.ok(ok.stdout.includes(`ok   ${label(created)}\n`), ok.stdout)
    assert.ok(ok.stdout.includes(`ok   ${label(deleted)}\n`), ok.stdout)
    assert.equal((ok.stdout.match(/receipt 0: valid/g) ?? []).length, 2)

    // Alter the deletion's receipt (the last byte of its signature) and put it back in its transparent
    // statement: the statement still verifies, the receipt does not, and the verdict names that receipt.
    const receipt = Buffer.from(receipts.events[1]?.receipt ?? '', 'base64url')
    receipt[receipt.length - 1] = (receipt[receipt.length - 1] as number) ^ 1
    const statement = new Uint8Array(Buffer.from(receipts.events[1]?.statement ?? '', 'base64url'))
    const altered = {
      ...deleted,
      cose_receipt: receipt.toString('base64url'),
      transparent_statement: Buffer.from(attachReceipt(statement, receipt)).toString('base64url'),
    }
    const bad = join(dir, 'altered-receipt.vcon')
    await writeFile(bad, withReceipts([created, altered]))
    const run = await verify(bad)
    assert.equal(run.code, 1, run.stdout + run.stderr)
    assert.ok(run.stdout.includes(`ok   ${label(created)}\n`), run.stdout)
    const failing = run.stdout.split('\n').indexOf(`FAIL ${label(deleted)}`)
    assert.ok(failing >= 0, run.stdout)
    assert.match(
      run.stdout
        .split('\n')
        .slice(failing + 1, failing + 3)
        .join('\n'),
      /statement: valid/,
    )
    assert.match(
      run.stdout
        .split('\n')
        .slice(failing + 1, failing + 4)
        .join('\n'),
      /^ {2}receipt 0: INVALID LEDGER_[A-Z_]+: /m,
    )
    assert.match(run.stdout, /^NOT verified$/m)
  })

  test('usage errors exit 2', async () => {
    assert.equal((await runCli(['audit'])).code, 2)
    assert.equal((await runCli(['audit', 'verify', receiptsJson])).code, 2)
    assert.equal((await runCli(['audit', 'history', randomUUID()])).code, 2)
    const help = await runCli(['help', 'audit'])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /vcon audit replay/)
  })
})
