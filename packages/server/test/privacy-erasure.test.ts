/**
 * End to end over HTTP, on both storage backends (SQLite, and PostgreSQL: under CI=true an unreachable
 * PostgreSQL fails instead of skipping): POST /v1/privacy/erasures erases one vCon by uuid, every vCon of an
 * identifier (delete mode), or redacts the person out keeping the other party (redact mode); each answer carries
 * the ledger entry ids of its events. An unknown uuid is 404, a read token 403, a malformed body 400.
 */
import assert from 'node:assert/strict'
import { randomInt, randomUUID } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { parseVcon } from '@vconkit/vcon'
import type { ServerConfig } from '../src/config/server-config.js'
import { sampleVcon } from './support/http-vcons.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

interface Answer {
  erased: string[]
  redacted: { uuid: string; newUuid?: string; uninspected?: string[] }[]
  events: { uuid: string; event: string; entryId?: string }[]
}

const AGENT_TEL = '+15551230001'

/** A fresh, unique customer: number, name and address that appear nowhere else. */
function person() {
  const digits = String(randomInt(1_000_000, 9_999_999))
  return {
    tel: `+1555${digits}`,
    national: `(555) ${digits.slice(0, 3)}-${digits.slice(3)}`,
    name: `Zelda Quistorp${digits}`,
    mailto: `zq${digits}@example.org`,
  }
}
type Person = ReturnType<typeof person>

function personVcon(uuid: string, p: Person): string {
  return JSON.stringify(
    sampleVcon(uuid, {
      parties: [
        { tel: AGENT_TEL, name: 'Alice Agent', role: 'agent' },
        { tel: p.tel, name: p.name, mailto: p.mailto, role: 'customer' },
      ],
      dialog: [
        {
          type: 'text',
          start: '2025-03-01T10:00:00.000Z',
          parties: [1, 0],
          originator: 1,
          mediatype: 'text/plain',
          encoding: 'none',
          body: `Hi, this is ${p.name}, call me back on ${p.national} or write to ${p.mailto}.`,
        },
        {
          type: 'text',
          start: '2025-03-01T10:01:00.000Z',
          parties: [0, 1],
          originator: 0,
          mediatype: 'text/plain',
          encoding: 'none',
          body: `Thank you, I will call ${p.tel} today. Your blue kettle refund is approved.`,
        },
      ],
    }),
  )
}

function suite(backend: string, configure?: (c: ServerConfig) => ServerConfig) {
  describe(`erasure over HTTP (${backend})`, () => {
    let dir: string
    let tokens: LedgerAppTokens
    let app: LedgerApp

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'vconkit-erasure-'))
      tokens = ledgerAppTokens()
      app = await startLedgerApp({
        dataDir: dir,
        tokens,
        workers: false,
        ...(configure === undefined ? {} : { configure }),
      })
    })
    after(async () => {
      await app.stop()
      await rm(dir, { recursive: true, force: true })
    })

    const post = async (text: string) => {
      const response = await app.fetch('/v1/vcons', {
        method: 'POST',
        headers: { 'content-type': 'application/vcon+json' },
        body: text,
      })
      assert.equal(response.status, 201, await response.text())
    }
    const erase = (body: unknown, token?: string) =>
      app.fetch('/v1/privacy/erasures', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        ...(token === undefined ? {} : { token }),
      })
    const status = async (uuid: string) => (await app.fetch(`/v1/vcons/${uuid}`)).status
    const listTel = async (tel: string) => {
      const page = (await (await app.fetch(`/v1/vcons?tel=${encodeURIComponent(tel)}`)).json()) as {
        items: { uuid: string }[]
      }
      return page.items.map((i) => i.uuid)
    }
    const receiptEvents = async (uuid: string) => {
      const body = (await (await app.fetch(`/v1/vcons/${uuid}/receipts`)).json()) as {
        events: { event: string }[]
      }
      return body.events.map((e) => e.event)
    }

    test('one uuid: deleted, the answer carries the registered vcon_deleted entry', async () => {
      const uuid = randomUUID()
      const keep = randomUUID()
      await post(personVcon(uuid, person()))
      await post(personVcon(keep, person()))
      const response = await erase({ uuid })
      assert.equal(response.status, 200)
      const answer = (await response.json()) as Answer
      assert.deepEqual(answer.erased, [uuid])
      assert.deepEqual(answer.redacted, [])
      assert.equal(answer.events.length, 1)
      assert.equal(answer.events[0]?.event, 'vcon_deleted')
      assert.equal(typeof answer.events[0]?.entryId, 'string')
      assert.notEqual(answer.events[0]?.entryId, '')
      assert.equal(await status(uuid), 404)
      assert.equal(await status(keep), 200)
      assert.deepEqual(await receiptEvents(uuid), ['vcon_created', 'vcon_deleted'])
    })

    test('an unknown uuid is 404; a read token is 403; a malformed request is 400', async () => {
      assert.equal((await erase({ uuid: randomUUID() })).status, 404)
      const uuid = randomUUID()
      await post(personVcon(uuid, person()))
      assert.equal((await erase({ uuid }, tokens.read)).status, 403)
      assert.equal(await status(uuid), 200, 'a refused erasure erased nothing')
      for (const bad of [
        {},
        { uuid, identifier: 'tel:+15550100' },
        { uuid, mode: 'redact' },
        { identifier: 'tel:+15550100', mode: 'shred' },
        { identifier: 42 },
        { uuid: 'not-a-uuid' },
        { uuid, extra: true },
      ]) {
        assert.equal((await erase(bad)).status, 400, JSON.stringify(bad))
      }
    })

    test('an identifier in delete mode erases every vCon naming it and nothing else', async () => {
      const p = person()
      const mine = [randomUUID(), randomUUID()]
      const other = randomUUID()
      for (const uuid of mine) await post(personVcon(uuid, p))
      await post(personVcon(other, person()))
      const response = await erase({ identifier: `tel:${p.tel}`, mode: 'delete' })
      assert.equal(response.status, 200)
      const answer = (await response.json()) as Answer
      assert.deepEqual([...answer.erased].sort(), [...mine].sort())
      assert.deepEqual(
        answer.events.map((e) => e.event),
        ['vcon_deleted', 'vcon_deleted'],
      )
      assert.ok(answer.events.every((e) => e.entryId !== undefined))
      for (const uuid of mine) assert.equal(await status(uuid), 404)
      assert.equal(await status(other), 200)
      assert.deepEqual(await listTel(p.tel), [])
      // Nothing left to erase: an empty answer, not an error.
      const again = (await (await erase({ identifier: `tel:${p.tel}` })).json()) as Answer
      assert.deepEqual(again, { erased: [], redacted: [], events: [] })
    })

    test('redact mode keeps the other party, removes the person, and points at the deleted original', async () => {
      const p = person()
      const uuid = randomUUID()
      await post(personVcon(uuid, p))
      const response = await erase({
        identifier: `mailto:${p.mailto.toUpperCase()}`,
        mode: 'redact',
      })
      assert.equal(response.status, 200, await response.clone().text())
      const answer = (await response.json()) as Answer
      assert.deepEqual(answer.erased, [])
      assert.equal(answer.redacted.length, 1)
      const newUuid = answer.redacted[0]?.newUuid as string
      assert.equal(answer.redacted[0]?.uuid, uuid)
      assert.notEqual(newUuid, uuid)
      assert.deepEqual(
        answer.events.map((e) => [e.uuid, e.event]),
        [
          [uuid, 'vcon_deleted'],
          [newUuid, 'vcon_party_redacted'],
        ],
      )
      assert.ok(answer.events.every((e) => e.entryId !== undefined))

      assert.equal(await status(uuid), 404)
      const text = await (await app.fetch(`/v1/vcons/${newUuid}`)).text()
      for (const needle of [p.tel.slice(2), p.national, p.mailto, 'Zelda', 'Quistorp']) {
        assert.ok(!text.includes(needle), `the redacted version still holds ${needle}`)
      }
      const parsed = parseVcon(text, { mode: 'strict' })
      assert.equal(parsed.form, 'unsigned')
      const vcon = parsed.form === 'unsigned' ? (parsed.vcon as Record<string, unknown>) : {}
      const parties = vcon.parties as Record<string, unknown>[]
      assert.deepEqual(parties[1], { role: 'customer' })
      assert.deepEqual(parties[0], { tel: AGENT_TEL, name: 'Alice Agent', role: 'agent' })
      assert.equal((vcon.redacted as { uuid: string }).uuid, uuid)
      const dialogs = vcon.dialog as { body: string }[]
      assert.match(dialogs[1]?.body ?? '', /Your blue kettle refund is approved/)
      assert.match(dialogs[0]?.body ?? '', /^Hi, this is \[name\], call me back on \[phone\]/)
      const report = (vcon.analysis as { type: string; body: Record<string, unknown> }[]).at(-1)
      assert.equal(report?.type, 'redaction_report')
      assert.deepEqual(report?.body.party_fields_removed, { tel: 1, name: 1, mailto: 1 })

      // Every index follows: the person finds nothing, the agent finds the new version.
      assert.deepEqual(await listTel(p.tel), [])
      assert.ok((await listTel(AGENT_TEL)).includes(newUuid))
      assert.ok(!(await listTel(AGENT_TEL)).includes(uuid))
      assert.deepEqual(await receiptEvents(newUuid), ['vcon_party_redacted'])
      assert.deepEqual(await receiptEvents(uuid), ['vcon_created', 'vcon_deleted'])
    })

    test('versions linked by lineage go too; redact mode keeps one that holds nothing of the person', async () => {
      const p = person()
      const [a, b, a2, b2] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
      // b is an earlier redaction of a that already removed the customer (core draft §4.1.8).
      const laterVersion = (uuid: string, of: string) =>
        JSON.stringify(
          sampleVcon(uuid, {
            redacted: { uuid: of, type: 'PII Redaction' },
            parties: [{ tel: AGENT_TEL, name: 'Alice Agent', role: 'agent' }, { role: 'customer' }],
          }),
        )
      await post(personVcon(a, p))
      await post(laterVersion(b, a))
      const answer = (await (
        await erase({ identifier: `tel:${p.tel}`, mode: 'redact' })
      ).json()) as Answer
      const byUuid = new Map(answer.redacted.map((r) => [r.uuid, r]))
      assert.equal(byUuid.size, 2)
      assert.deepEqual(byUuid.get(b), { uuid: b })
      const fresh = byUuid.get(a)?.newUuid as string
      assert.equal(typeof fresh, 'string')
      assert.equal(await status(a), 404)
      assert.equal(await status(b), 200)
      assert.equal(await status(fresh), 200)

      await post(personVcon(a2, p))
      await post(laterVersion(b2, a2))
      const deleted = (await (await erase({ identifier: `tel:${p.tel}` })).json()) as Answer
      assert.deepEqual([...deleted.erased].sort(), [a2, b2].sort())
    })

    test('rules naming the person are kept unless forgetRules asks to drop them', async () => {
      const p = person()
      await post(personVcon(randomUUID(), p))
      const restricted = await app.fetch('/v1/privacy/restrictions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: `tel:${p.tel}` }),
      })
      assert.equal(restricted.status, 201)
      const listed = async () => {
        const body = (await (await app.fetch('/v1/privacy/restrictions')).json()) as {
          items: { identifier?: string }[]
        }
        return body.items.some((r) => r.identifier === `tel:${p.tel}`)
      }
      const first = (await (await erase({ identifier: `tel:${p.tel}` })).json()) as Answer
      assert.equal(first.erased.length, 1)
      assert.equal(await listed(), true, 'the restriction still stops later vCons of the person')
      const second = await erase({ identifier: `tel:${p.tel}`, forgetRules: true })
      assert.equal(second.status, 200)
      assert.deepEqual(((await second.json()) as Answer).erased, [])
      assert.equal(await listed(), false)
    })

    test('redact mode refuses a signed vCon with 409 and erases nothing', async () => {
      const p = person()
      const plain = randomUUID()
      const signed = randomUUID()
      await post(personVcon(plain, p))
      const payload = Buffer.from(personVcon(signed, p)).toString('base64url')
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', uuid: signed })).toString(
        'base64url',
      )
      await post(
        JSON.stringify({
          payload,
          signatures: [{ protected: header, signature: Buffer.alloc(64, 1).toString('base64url') }],
        }),
      )
      const response = await erase({ identifier: `tel:${p.tel}`, mode: 'redact' })
      assert.equal(response.status, 409)
      assert.match(await response.text(), new RegExp(signed))
      assert.equal(await status(plain), 200)
      assert.equal(await status(signed), 200)
      // Delete mode erases both.
      const deleted = (await (await erase({ identifier: `tel:${p.tel}` })).json()) as Answer
      assert.deepEqual([...deleted.erased].sort(), [plain, signed].sort())
    })
  })
}

suite('SQLite')

const down = await postgresUnreachable()
if (down !== undefined) {
  const message = `PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('erasure over HTTP (PostgreSQL): PostgreSQL must be reachable in CI', () =>
      assert.fail(message))
  } else test.skip(`erasure over HTTP (PostgreSQL): skipped, ${message}`)
} else {
  const schema = randomSchema('vck_erasure')
  after(() => dropSchema(schema))
  suite('PostgreSQL', (c) => ({
    ...c,
    databaseUrl: POSTGRES_TEST_URL,
    postgres: { ...c.postgres, schema, poolSize: 4 },
  }))
}
