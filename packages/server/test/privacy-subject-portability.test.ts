/**
 * Portability (GDPR Art. 20) and rectification (Art. 16) over HTTP with the real app, on SQLite and on PostgreSQL:
 * the export read back with the system `tar` (files, content hashes, receipts); a rectification stored as a new
 * version with its provenance and ledger event while the prior stays byte for byte; refusals.
 */
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestContext } from 'node:test'
import { computeContentHash } from '@vconkit/vcon'
import type { LedgerApp } from './support/start-ledger-app.js'
import { byUuid, found, type Match, onEachBackend } from './support/subject-app.js'
import type { SubjectVcons } from './support/subject-vcons.js'

async function exportArchive(app: LedgerApp, v: SubjectVcons): Promise<void> {
  const res = await app.fetch('/v1/privacy/subjects/export?identifier=tel:%2B15550100')
  assert.equal(res.status, 200)
  assert.equal(res.headers.get('content-type'), 'application/gzip')
  assert.match(
    res.headers.get('content-disposition') ?? '',
    /attachment; filename="vcon-subject-export-/,
  )
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-subject-export-'))
  try {
    const file = join(dir, 'export.tar.gz')
    await writeFile(file, Buffer.from(await res.arrayBuffer()))
    const listed = execFileSync('tar', ['-tzf', file], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
    execFileSync('tar', ['-xzf', file, '-C', dir])
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as {
      format: string
      identifier: unknown
      conserver: { version: string }
      truncated: boolean
      vcons: {
        uuid: string
        file: string
        content_hash: string
        matches: Match[]
        receipts: string
      }[]
    }
    assert.equal(manifest.format, 'vconkit-subject-export/1')
    assert.deepEqual(manifest.identifier, { kind: 'tel', value: '+15550100' })
    assert.match(manifest.conserver.version, /^\d+\.\d+\.\d+/)
    const expected = [v.party, v.dialogText, v.redacted, v.transcript, v.amended, v.signed]
    assert.deepEqual(manifest.vcons.map((x) => x.uuid).sort(), [...expected].sort())
    for (const entry of manifest.vcons) {
      assert.ok(listed.includes(entry.file) && listed.includes(entry.receipts), entry.file)
      const bytes = await readFile(join(dir, entry.file))
      const stored = Buffer.from(await (await app.fetch(`/v1/vcons/${entry.uuid}`)).arrayBuffer())
      assert.equal(
        Buffer.compare(bytes, stored),
        0,
        `${entry.file} is the stored vCon byte for byte`,
      )
      assert.equal(entry.content_hash, computeContentHash(bytes, 'sha512'))
      const receipts = JSON.parse(await readFile(join(dir, entry.receipts), 'utf8')) as unknown
      assert.deepEqual(receipts, await (await app.fetch(`/v1/vcons/${entry.uuid}/receipts`)).json())
      assert.ok(entry.matches.length > 0)
    }
    assert.equal(listed[listed.length - 1], 'manifest.json')
  } finally {
    await rm(dir, { recursive: true, force: true })
  }
}

async function rectify(t: TestContext, app: LedgerApp, v: SubjectVcons): Promise<void> {
  const post = (body: unknown) =>
    app.fetch('/v1/privacy/rectifications', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  await t.test(
    'a new version with the correction and its provenance; the prior stays byte for byte',
    async () => {
      const before = await (await app.fetch(`/v1/vcons/${v.party}`)).text()
      const res = await post({
        uuid: v.party,
        corrections: [{ pointer: '/parties/0/name', value: 'Alice Smith' }],
        reason: 'The customer asked us to correct the spelling of her name.',
      })
      assert.equal(res.status, 201, await res.clone().text())
      const result = (await res.json()) as { uuid: string; amends: string; corrected: string[] }
      assert.equal(result.amends, v.party)
      assert.notEqual(result.uuid, v.party)
      assert.deepEqual(result.corrected, ['/parties/0/name'])
      assert.equal(res.headers.get('location'), `/v1/vcons/${result.uuid}`)
      assert.equal(await (await app.fetch(`/v1/vcons/${v.party}`)).text(), before)
      const next = (await (await app.fetch(`/v1/vcons/${result.uuid}`)).json()) as {
        amended: { uuid: string }
        parties: { name: string; tel: string }[]
        analysis: { type: string; body: { replaced: string[]; reason: string } }[]
      }
      assert.equal(next.amended.uuid, v.party)
      assert.equal(next.parties[0]?.name, 'Alice Smith')
      const provenance = next.analysis.at(-1)
      assert.equal(provenance?.type, 'amendment_provenance')
      assert.deepEqual(provenance?.body.replaced, ['/parties/0/name'])
      assert.match(provenance?.body.reason ?? '', /spelling/)
      await app.ctx.ledger?.recorder.flush()
      const receipts = (await (await app.fetch(`/v1/vcons/${result.uuid}/receipts`)).json()) as {
        events: { event: string; document: { reason?: string } }[]
      }
      assert.deepEqual(
        receipts.events.map((e) => [e.event, e.document.reason]),
        [['vcon_created', 'correction']],
      )
      // The correction is an automated-decision entry of its own: the provenance analysis, with its time.
      const listed = (await (
        await app.fetch('/v1/privacy/subjects/decisions?identifier=name:Alice%20Smith')
      ).json()) as { decisions: Record<string, unknown>[] }
      assert.deepEqual(listed.decisions, [
        {
          uuid: result.uuid,
          analysisIndex: 0,
          type: 'amendment_provenance',
          vendor: 'vconkit',
          product: '@vconkit/vcon',
          schema: 'vconkit-amendment-provenance-1',
          dialog: null,
          created_at: (provenance?.body as { amended_at?: string } | undefined)?.amended_at,
        },
      ])
      // The corrected name now finds the new version, and the prior through its amendment.
      assert.deepEqual(byUuid(await found(app, 'name:alice  SMITH')), {
        [result.uuid]: [{ pointer: '/parties/0/name', kind: 'party' }],
        [v.party]: [
          { pointer: '/amended', kind: 'lineage', linkedTo: result.uuid, relation: 'amended-by' },
        ],
      })
    },
  )

  await t.test(
    'refusals: a bad pointer names its correction; signed, encrypted, missing',
    async () => {
      const bad = await post({
        uuid: v.party,
        corrections: [
          { pointer: '/subject', value: 'ok' },
          { pointer: '/parties/7/name', value: 'x' },
        ],
        reason: 'test',
      })
      assert.equal(bad.status, 422)
      assert.match(
        ((await bad.json()) as { error: { message: string } }).error.message,
        /^corrections\[1\]/,
      )
      const uuidRes = await post({
        uuid: v.party,
        corrections: [{ pointer: '/uuid', value: 'x' }],
        reason: 'r',
      })
      assert.equal(uuidRes.status, 422)
      for (const [uuid, word] of [
        [v.signed, /signed \(JWS\)/],
        [v.encrypted, /encrypted \(JWE\)/],
      ] as const) {
        const res = await post({
          uuid,
          corrections: [{ pointer: '/subject', value: 'x' }],
          reason: 'r',
        })
        assert.equal(res.status, 409)
        assert.match(((await res.json()) as { error: { message: string } }).error.message, word)
      }
      const missing = await post({
        uuid: '00000000-0000-4000-8000-000000000000',
        corrections: [{ pointer: '/subject', value: 'x' }],
        reason: 'r',
      })
      assert.equal(missing.status, 404)
      assert.equal((await post({ uuid: v.party, corrections: [], reason: 'r' })).status, 400)
    },
  )
}

await onEachBackend('subject portability and rectification over HTTP', async ({ t, app, v }) => {
  await t.test('export: a tar.gz that tar reads, with hashes and receipts', () =>
    exportArchive(app, v),
  )
  await rectify(t, app, v)
})
