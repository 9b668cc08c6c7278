import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
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
import { runCli } from './support/run-cli.js'

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

  test('usage errors exit 2', async () => {
    assert.equal((await runCli(['audit'])).code, 2)
    assert.equal((await runCli(['audit', 'verify', receiptsJson])).code, 2)
    assert.equal((await runCli(['audit', 'history', randomUUID()])).code, 2)
    const help = await runCli(['help', 'audit'])
    assert.equal(help.code, 0)
    assert.match(help.stdout, /vcon audit replay/)
  })
})
