/**
 * `vcon audit history` against histories that must not verify: a missing event (a `prev` naming an event the
 * log does not hold), a fork (two events naming the same `prev`), an event the registry says was registered
 * but the log does not list, and a split view (the checkpoint and consistency proofs come from another tree
 * than the receipts, under the same log key). The ledger is a real @vconkit/ledger log served over HTTP on
 * 127.0.0.1 (support/ledger-server.ts); events and statements are built with the ledger's own functions, and
 * the CLI runs from source in a child process, so the verdict and exit status are those a user sees.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import {
  createTransparencyLog,
  encodeCoseKeySet,
  generateSigningKey,
  MemoryLedgerStorage,
  publicPart,
  type SigningKey,
  type TransparencyLog,
} from '@vconkit/ledger'
import {
  type BuiltEvent,
  buildEvent,
  type LedgerServer,
  type RegistryEvent,
  registerEvent,
  startLedgerServer,
} from './support/ledger-server.js'
import { runCli } from './support/run-cli.js'

const T0 = Date.parse('2026-05-04T10:00:00Z')
const at = (minute: number) => new Date(T0 + minute * 60_000)

/** One entry of the command's output: its head line ("ok  #i event …" or "FAIL …") and indented lines. */
interface Block {
  readonly head: string
  readonly body: string[]
}

function blocks(lines: readonly string[]): Block[] {
  const out: Block[] = []
  for (const line of lines) {
    if (line.startsWith('  ')) out.at(-1)?.body.push(line)
    else out.push({ head: line, body: [] })
  }
  return out
}

/** The block of the entry whose head names `event` (exactly one must). */
function blockOf(all: readonly Block[], event: string): Block {
  const found = all.filter((b) => new RegExp(`^(ok  |FAIL) #\\d+ ${event} `).test(b.head))
  assert.equal(
    found.length,
    1,
    `one entry line for ${event} in\n${all.map((b) => b.head).join('\n')}`,
  )
  return found[0] as Block
}

describe('vcon audit history: gaps, forks and inconsistent checkpoints', () => {
  let dir: string
  let issuer: SigningKey
  let logKey: SigningKey
  let logKeyFile: string
  let issuerPem: string
  const logs: TransparencyLog[] = []
  const servers: LedgerServer[] = []

  const newLog = async () => {
    const log = await createTransparencyLog({
      storage: new MemoryLedgerStorage(),
      issuer: 'urn:test:ledger',
      logKey,
      issuerKeys: [publicPart(issuer)],
      verifyThreads: 0,
    })
    logs.push(log)
    return log
  }
  const serve = async (options: Parameters<typeof startLedgerServer>[0]) => {
    const server = await startLedgerServer(options)
    servers.push(server)
    return server
  }
  const history = async (server: LedgerServer, uuid: string) => {
    const run = await runCli([
      'audit',
      'history',
      uuid,
      '--ledger',
      server.url,
      '--log-key',
      logKeyFile,
      '--issuer-key',
      issuerPem,
      '--json',
    ])
    assert.equal(run.stderr, '', 'keys are pinned: no trust-on-first-use warning, no error')
    const result = JSON.parse(run.stdout) as { ok: boolean; lines: string[] }
    return { code: run.code, ok: result.ok, lines: result.lines, blocks: blocks(result.lines) }
  }
  const event = (
    uuid: string,
    name: Parameters<typeof buildEvent>[1]['event'],
    prev: BuiltEvent | null,
    minute: number,
  ) => buildEvent(issuer, { event: name, uuid, prev: prev?.created.digest ?? null, at: at(minute) })

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vcon-audit-history-'))
    issuer = generateSigningKey()
    logKey = generateSigningKey()
    logKeyFile = join(dir, 'log-keys.cbor')
    await writeFile(logKeyFile, encodeCoseKeySet([publicPart(logKey)]))
    issuerPem = join(dir, 'issuer.pem')
    await writeFile(issuerPem, issuer.publicKey.export({ format: 'pem', type: 'spki' }) as string)
  })
  after(async () => {
    for (const server of servers) await server.close()
    for (const log of logs) await log.close()
    await rm(dir, { recursive: true, force: true })
  })

  describe('the prev chain', () => {
    let server: LedgerServer
    let log: TransparencyLog
    const registry = new Map<string, RegistryEvent[]>()
    const intact = randomUUID()
    const gap = randomUUID()
    const fork = randomUUID()
    const hidden = randomUUID()
    const built = {} as Record<
      'gapCreated' | 'gapMissing' | 'gapSent' | 'forkCreated' | 'forkEnhanced' | 'forkSent',
      BuiltEvent
    >

    before(async () => {
      log = await newLog()
      server = await serve({ log, registry })
      // Interleaved as a conserver would write them; each vCon's chain is read back by its subject.
      const record = async (uuid: string, events: (BuiltEvent | undefined)[]) => {
        const records: RegistryEvent[] = []
        for (const e of events) if (e) records.push(await registerEvent(log, e, records.length))
        registry.set(uuid, records)
      }

      // created -> enhanced -> deleted: the baseline that verifies, so the failures below are the history's.
      const i1 = event(intact, 'vcon_created', null, 0)
      const i2 = event(intact, 'vcon_enhanced', i1, 1)
      const i3 = event(intact, 'vcon_deleted', i2, 2)
      await record(intact, [i1, i2, i3])

      // (a) created -> [enhanced, never registered nor kept] -> sent: sent's prev names an event not in the log.
      built.gapCreated = event(gap, 'vcon_created', null, 3)
      built.gapMissing = event(gap, 'vcon_enhanced', built.gapCreated, 4)
      built.gapSent = event(gap, 'vcon_sent', built.gapMissing, 5)
      await record(gap, [built.gapCreated, built.gapSent])

      // (b) created -> enhanced, and created -> sent: two events name the same prev.
      built.forkCreated = event(fork, 'vcon_created', null, 6)
      built.forkEnhanced = event(fork, 'vcon_enhanced', built.forkCreated, 7)
      built.forkSent = event(fork, 'vcon_sent', built.forkCreated, 8)
      await record(fork, [built.forkCreated, built.forkEnhanced, built.forkSent])

      // The registry says the last event (a deletion) was registered, but this log never received it: it went
      // to another log, so its entry id is real, yet absent from the listing this ledger gives the auditor.
      const h1 = event(hidden, 'vcon_created', null, 9)
      const h2 = event(hidden, 'vcon_deleted', h1, 10)
      await record(hidden, [h1])
      registry.get(hidden)?.push(await registerEvent(await newLog(), h2, 1))
    })

    test('an intact history verifies: exit 0, every link and receipt checked', async () => {
      const result = await history(server, intact)
      assert.equal(result.code, 0, result.lines.join('\n'))
      assert.equal(result.ok, true)
      for (const name of ['vcon_created', 'vcon_enhanced', 'vcon_deleted']) {
        const block = blockOf(result.blocks, name)
        assert.match(block.head, /^ok {3}#\d+ /)
        assert.ok(block.body.includes('  prev chain: linked'), block.body.join('\n'))
        assert.match(block.body.join('\n'), /receipt 0: valid/)
      }
      assert.ok(
        result.lines.every((l) => !/FAIL|GAP|FORK|INVALID/.test(l)),
        result.lines.join('\n'),
      )
    })

    test('(a) a prev naming an event the log does not hold is a GAP: exit 1', async () => {
      const result = await history(server, gap)
      assert.equal(result.code, 1, result.lines.join('\n'))
      assert.equal(result.ok, false)
      const created = blockOf(result.blocks, 'vcon_created')
      assert.ok(created.body.includes('  prev chain: linked'))
      const sent = blockOf(result.blocks, 'vcon_sent')
      // The statement itself is genuine (signature, receipt): the failure is the chain, and it names both
      // the digest sent points to and the one the log's history leads to.
      assert.match(sent.body.join('\n'), /receipt 0: valid/)
      assert.ok(
        sent.body.includes(
          `  prev chain: GAP (prev ${built.gapMissing.created.digest}, expected ${built.gapCreated.created.digest})`,
        ),
        sent.body.join('\n'),
      )
      assert.equal(result.lines.filter((l) => l.includes('GAP')).length, 1)
    })

    test('(b) two events naming the same prev (a fork) fail at the second one: exit 1', async () => {
      const result = await history(server, fork)
      assert.equal(result.code, 1, result.lines.join('\n'))
      assert.equal(result.ok, false)
      assert.ok(blockOf(result.blocks, 'vcon_enhanced').body.includes('  prev chain: linked'))
      const sent = blockOf(result.blocks, 'vcon_sent')
      assert.match(sent.body.join('\n'), /receipt 0: valid/)
      // The second child of created breaks the chain where it stands: its prev is created's digest, an event
      // already walked, while the log's history had reached enhanced: a FORK, naming both digests.
      assert.ok(
        sent.body.includes(
          `  prev chain: FORK (prev ${built.forkCreated.created.digest}, expected ${built.forkEnhanced.created.digest})`,
        ),
        sent.body.join('\n'),
      )
    })

    test('an event the registry lists as registered but the log does not list fails: exit 1', async () => {
      const result = await history(server, hidden)
      assert.equal(result.code, 1, result.lines.join('\n'))
      assert.equal(result.ok, false)
      const entryId = registry.get(hidden)?.[1]?.entryId as string
      assert.ok(
        result.lines.some((l) => l.startsWith('FAIL vcon_deleted') && l.includes(entryId)),
        result.lines.join('\n'),
      )
    })
  })

  describe('checkpoints that are not consistent with the receipts (a split view, same log key)', () => {
    const uuid = randomUUID()
    let created: BuiltEvent
    let enhanced: BuiltEvent
    let registry: Map<string, RegistryEvent[]>
    let shown: TransparencyLog

    before(async () => {
      // The history the vCon's receipts come from: created at leaf 0 (receipt at size 1), enhanced at leaf 1
      // (receipt at size 2).
      shown = await newLog()
      created = event(uuid, 'vcon_created', null, 0)
      enhanced = event(uuid, 'vcon_enhanced', created, 1)
      registry = new Map([
        [uuid, [await registerEvent(shown, created, 0), await registerEvent(shown, enhanced, 1)]],
      ])
    })

    /** Another tree under the same key: the same leaf 0, then other statements instead of enhanced. */
    const otherTree = async (extra: number) => {
      const other = await newLog()
      await other.register(created.statement)
      for (let i = 0; i < extra; i++) {
        await other.register(event(randomUUID(), 'vcon_created', null, 2 + i).statement)
      }
      return other
    }

    test('the checkpoint at a receipt’s own size signs another root: exit 1', async () => {
      const server = await serve({ log: shown, treeLog: await otherTree(1), registry })
      const result = await history(server, uuid)
      assert.equal(result.code, 1, result.lines.join('\n'))
      assert.equal(result.ok, false)
      // Every statement and receipt verifies on its own; only the comparison with the checkpoint fails.
      assert.equal(result.lines.filter((l) => /receipt 0: valid/.test(l)).length, 2)
      assert.ok(
        result.lines.some((l) => /^ok {3}consistency 1 -> 2 \(checkpoint /.test(l)),
        result.lines.join('\n'),
      )
      assert.ok(
        result.lines.includes("FAIL root at 2 equals the checkpoint's"),
        result.lines.join('\n'),
      )
    })

    test('a later checkpoint whose tree does not extend a receipt’s root: exit 1', async () => {
      const server = await serve({ log: shown, treeLog: await otherTree(2), registry })
      const result = await history(server, uuid)
      assert.equal(result.code, 1, result.lines.join('\n'))
      assert.equal(result.ok, false)
      assert.equal(result.lines.filter((l) => /receipt 0: valid/.test(l)).length, 2)
      // Size 1 is shared by both trees and proves consistent; size 2 is where they part (RFC 9162 §2.1.4.2:
      // no path from the shown root of size 2 leads to the root the log signed at size 3).
      assert.ok(
        result.lines.some((l) => /^ok {3}consistency 1 -> 3 \(checkpoint /.test(l)),
        result.lines.join('\n'),
      )
      assert.ok(
        result.lines.some((l) => /^FAIL consistency: LEDGER_[A-Z_]+: /.test(l)),
        result.lines.join('\n'),
      )
    })
  })
})
