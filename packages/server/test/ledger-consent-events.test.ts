/**
 * vcon_consent_accepted (draft-howe-vcon-lifecycle) over HTTP: a vCon ingested with a consent records the
 * purposes it permits right after vcon_created; an appended consent records only the purposes it adds; a grant
 * under another basis, a consent overruled by a denial and an edit that adds no purpose record nothing.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { type GrantInput, type LawfulBasisType, lawfulBasisAttachment } from '@vconkit/vcon'
import { sampleVcon } from './support/http-vcons.js'
import { listedEvents, postSample } from './support/lifecycle-events.js'
import {
  type LedgerApp,
  type LedgerAppTokens,
  ledgerAppTokens,
  startLedgerApp,
} from './support/start-ledger-app.js'

const AT = new Date('2025-03-01T09:59:00Z')

function basis(basis: LawfulBasisType, grants: readonly GrantInput[]) {
  return lawfulBasisAttachment({ basis, expiration: null, dialog: 0, grants, at: AT })
}

const granted = (...purposes: string[]) => purposes.map((purpose) => ({ purpose, granted: true }))

describe('vcon_consent_accepted', () => {
  let dir: string
  let tokens: LedgerAppTokens
  let app: LedgerApp

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vconkit-consent-events-'))
    tokens = ledgerAppTokens()
    app = await startLedgerApp({ dataDir: dir, tokens })
  })
  after(async () => {
    await app.stop()
    await rm(dir, { recursive: true, force: true })
  })

  const events = (uuid: string) => listedEvents(app, uuid, tokens.read)
  const ingest = (attachments: readonly unknown[]) =>
    postSample(app, attachments.length === 0 ? {} : { extensions: ['lawful_basis'], attachments })

  async function append(uuid: string, attachment: unknown): Promise<void> {
    const response = await app.fetch(`/v1/vcons/${uuid}/attachments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(attachment),
    })
    assert.equal(response.status, 201, await response.clone().text())
  }

  test('ingest with a consent records the purposes it permits, chained after vcon_created', async () => {
    const uuid = await ingest([basis('consent', granted('transcription', 'analytics'))])
    const rows = await events(uuid)
    assert.deepEqual(
      rows.map((e) => e.event),
      ['vcon_created', 'vcon_consent_accepted'],
    )
    assert.deepEqual(rows[1]?.document.purposes, ['analytics', 'transcription'])
    assert.equal(rows[1]?.document.prev, rows[0]?.digest)
  })

  test('an appended consent records only the purposes it adds; other appends record none', async () => {
    const uuid = await ingest([basis('consent', granted('transcription'))])
    await append(uuid, basis('consent', granted('transcription', 'analytics')))
    await append(uuid, { type: 'note', encoding: 'none', body: 'no consent here', dialog: 0 })
    const rows = await events(uuid)
    assert.deepEqual(
      rows.map((e) => [e.event, e.document.purposes ?? []]),
      [
        ['vcon_created', []],
        ['vcon_consent_accepted', ['transcription']],
        ['vcon_enhanced', []],
        ['vcon_consent_accepted', ['analytics']],
        ['vcon_enhanced', []],
      ],
    )
  })

  test('no consent event without consent: another basis, a denial that overrules, none at all', async () => {
    const contract = await ingest([basis('contract', granted('transcription'))])
    const overruled = await ingest([
      basis('consent', granted('transcription')),
      basis('consent', [{ purpose: 'transcription', granted: false }]),
    ])
    const plain = await ingest([])
    for (const uuid of [contract, overruled, plain]) {
      assert.deepEqual(
        (await events(uuid)).map((e) => e.event),
        ['vcon_created'],
      )
    }
  })

  test('PUT: a replacement records the purposes the stored version did not permit', async () => {
    const uuid = await ingest([basis('consent', granted('transcription'))])
    const replaced = await app.fetch(`/v1/vcons/${uuid}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vcon+json' },
      body: JSON.stringify(
        sampleVcon(uuid, {
          extensions: ['lawful_basis'],
          attachments: [basis('consent', granted('transcription', 'sharing'))],
        }),
      ),
    })
    assert.equal(replaced.status, 200, await replaced.clone().text())
    const rows = await events(uuid)
    assert.deepEqual(
      rows.map((e) => [e.event, e.document.purposes ?? []]),
      [
        ['vcon_created', []],
        ['vcon_consent_accepted', ['transcription']],
        ['vcon_enhanced', []],
        ['vcon_consent_accepted', ['sharing']],
      ],
    )
  })
})
