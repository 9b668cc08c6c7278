/**
 * Subject access (GDPR Art. 15) and automated processing (Art. 22) over HTTP with the real app, on SQLite and on
 * PostgreSQL: an identifier (tel, mailto, name, sip, did) found as a party, in a dialog text and in a transcript,
 * in signed vCons and through amended, redacted and encrypted versions; exact pointers; refusals.
 */
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { LedgerApp } from './support/start-ledger-app.js'
import { byUuid, found, onEachBackend, type SubjectRun } from './support/subject-app.js'
import type { SubjectVcons } from './support/subject-vcons.js'

async function access(
  t: TestContext,
  app: LedgerApp,
  v: SubjectVcons,
  readToken: string,
): Promise<void> {
  await t.test(
    'a tel: party, dialog text, transcript (national form), signed, amended and redacted',
    async () => {
      const answer = await found(app, 'tel:+1 555 0100')
      assert.deepEqual(answer.identifier, { kind: 'tel', value: '+15550100' })
      assert.equal(answer.truncated, false)
      assert.deepEqual(byUuid(answer), {
        [v.party]: [{ pointer: '/parties/0/tel', kind: 'party' }],
        [v.dialogText]: [{ pointer: '/dialog/0/body', kind: 'text' }],
        [v.redacted]: [
          { pointer: '/redacted', kind: 'lineage', linkedTo: v.dialogText, relation: 'redacts' },
        ],
        [v.transcript]: [{ pointer: '/analysis/0/body/transcript/text', kind: 'text' }],
        [v.amended]: [
          { pointer: '/amended', kind: 'lineage', linkedTo: v.transcript, relation: 'amends' },
        ],
        [v.signed]: [{ pointer: '/parties/0/tel', kind: 'party' }],
      })
      assert.equal(answer.vcons.find((x) => x.uuid === v.signed)?.form, 'signed')
      assert.ok(answer.notes.some((n) => /Encrypted \(JWE\)/.test(n)))
    },
  )

  await t.test(
    'a mailto in another case, and an encrypted prior listed through its amendment',
    async () => {
      const answer = await found(app, 'MAILTO:ALICE.SMITH@example.COM')
      assert.deepEqual(answer.identifier, { kind: 'mailto', value: 'alice.smith@example.com' })
      assert.deepEqual(byUuid(answer), {
        [v.party]: [{ pointer: '/parties/0/mailto', kind: 'party' }],
        [v.amendedFromEncrypted]: [{ pointer: '/parties/0/mailto', kind: 'party' }],
        [v.encrypted]: [
          {
            pointer: '/amended',
            kind: 'lineage',
            linkedTo: v.amendedFromEncrypted,
            relation: 'amended-by',
          },
        ],
      })
      assert.equal(answer.vcons.find((x) => x.uuid === v.encrypted)?.form, 'encrypted')
    },
  )

  await t.test('sip and did, as party and in text; a bare number and include=content', async () => {
    const sip = await found(app, 'sip:dave@example.org')
    assert.deepEqual(byUuid(sip), {
      [v.other]: [
        { pointer: '/parties/0/sip', kind: 'party' },
        { pointer: '/dialog/0/body', kind: 'text' },
      ],
    })
    const did = await found(app, 'did:example:dave1')
    assert.deepEqual(byUuid(did), { [v.other]: [{ pointer: '/parties/0/did', kind: 'party' }] })
    const bare = await found(app, '+15550100', '&include=content&limit=2')
    assert.equal(bare.vcons.length >= 2, true)
    assert.equal(bare.truncated, true)
    for (const item of bare.vcons) {
      const stored = await (await app.fetch(`/v1/vcons/${item.uuid}`)).text()
      assert.deepEqual(item.vcon, JSON.parse(stored))
    }
  })

  await t.test('found nowhere, bad identifiers, read scope', async () => {
    assert.deepEqual((await found(app, 'tel:+44 20 7946 0999')).vcons, [])
    assert.deepEqual(
      (await found(app, 'name:Alice Smith')).vcons,
      [],
      '"Alice Smithson" is not "Alice Smith"',
    )
    for (const bad of ['foo', 'tel:call-me', 'mailto:nobody', 'name:   ', '']) {
      const res = await app.fetch(
        `/v1/privacy/subjects/vcons?identifier=${encodeURIComponent(bad)}`,
      )
      assert.equal(res.status, 400, bad)
      const { error } = (await res.json()) as { error: { code: string; message: string } }
      assert.equal(error.code, 'BAD_REQUEST')
      assert.match(error.message, /identifier .*tel:\+15550100, mailto:/)
    }
    const read = await app.fetch('/v1/privacy/subjects/vcons?identifier=tel:%2B15550100', {
      token: readToken,
    })
    assert.equal(read.status, 403)
  })
}

async function decisions(app: LedgerApp, v: SubjectVcons): Promise<void> {
  const res = await app.fetch('/v1/privacy/subjects/decisions?identifier=tel:%2B15550100')
  assert.equal(res.status, 200)
  const answer = (await res.json()) as {
    decisions: {
      uuid: string
      analysisIndex: number
      type: string
      vendor: string
      product: string
      schema: string
      created_at: string | null
    }[]
    enhancements: unknown[] | null
    vcons: string[]
  }
  const transcript = answer.decisions.find((d) => d.uuid === v.transcript)
  assert.deepEqual(transcript, {
    uuid: v.transcript,
    analysisIndex: 0,
    type: 'transcript',
    vendor: 'deepgram',
    product: 'nova-3',
    schema: 'deepgram-listen-1',
    dialog: 0,
    created_at: '2025-04-01T09:05:00Z',
  })
  // Only the transcript vCon of the subject has analyses; no pipeline ran, so nothing was enhanced.
  assert.equal(answer.decisions.length, 1)
  assert.deepEqual(
    answer.vcons.sort(),
    [v.party, v.dialogText, v.redacted, v.transcript, v.amended, v.signed].sort(),
  )
  assert.deepEqual(answer.enhancements, [])
}

await onEachBackend(
  'subject access and decisions over HTTP',
  async ({ t, app, v, readToken }: SubjectRun) => {
    await access(t, app, v, readToken)
    await t.test('decisions: every analysis of the subject’s vCons', () => decisions(app, v))
  },
)
