import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { isVconError } from '../errors/vcon-error.js'
import type { Dialog, Vcon } from '../model/vcon.js'
import { parseVcon } from '../parse/parse-vcon.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { amendVcon } from './amend-vcon.js'

const SPEC = new URL('../../test/fixtures/corpus/spec-examples/', import.meta.url)
const NOW = new Date('2026-07-01T12:00:00.000Z')
const now = () => NOW
const NEXT = '019f15a6-aa72-8dbd-a20f-d188127fad29'

function spec(name: string): Vcon {
  const parsed = parseVcon(readFileSync(new URL(name, SPEC), 'utf8'), { mode: 'lenient' })
  assert.equal(parsed.form, 'unsigned')
  return parsed.vcon
}

function strictErrors(vcon: unknown): string[] {
  return validateVcon(vcon, { mode: 'strict' })
    .issues.filter((i) => i.severity === 'error')
    .map((i) => `${i.pointer} ${i.code}`)
}

const refused = (pattern: RegExp) => (e: unknown) =>
  isVconError(e) && e.code === 'VCON_BAD_ARGUMENT' && pattern.test(e.message)

describe('amendVcon', () => {
  const prior = spec('ab_call_ext_rec.vcon')
  const example = spec('ab_call_ext_rec_amended.vcon')
  const added = example.dialog?.[1] as Dialog

  test('reproduces the draft example ab_call_ext_rec_amended.vcon from its prior', () => {
    const before = JSON.stringify(prior)
    const out = amendVcon(prior, { dialog: [added] }, { newUuid: NEXT, now })
    const { created_at, updated_at, ...rest } = out
    assert.deepEqual(rest, example)
    assert.equal(updated_at, NOW.toISOString())
    assert.equal(created_at, NOW.toISOString(), 'the prior has none, and strict readers need one')
    assert.deepEqual(strictErrors(out), [])
    assert.equal(JSON.stringify(prior), before, 'the prior is unchanged')
  })

  test('the draft form: indices returned are those of the new version', () => {
    let dialogIndex = -1
    let partyIndex = -1
    const out = amendVcon(
      prior,
      (d) => {
        partyIndex = d.addParty({ name: 'Carol', type: 'person' })
        dialogIndex = d.addDialog({ ...added, parties: [partyIndex, 0] })
        d.addAnalysis({
          type: 'summary',
          vendor: 'acme',
          dialog: dialogIndex,
          encoding: 'none',
          body: 'hi',
        })
      },
      { newUuid: () => NEXT, now },
    )
    assert.equal(partyIndex, 2)
    assert.equal(dialogIndex, 1)
    assert.deepEqual(out.parties?.slice(0, 2), prior.parties)
    assert.deepEqual(out.dialog?.[0], prior.dialog?.[0])
    assert.deepEqual(out.dialog?.[1]?.parties, [2, 0])
    assert.equal(out.analysis?.[0]?.dialog, 1)
    assert.deepEqual(strictErrors(out), [])
  })

  test('corrections replace values by pointer and are recorded without the old values', () => {
    const out = amendVcon(
      prior,
      {
        replace: [
          { pointer: '/parties/0/name', value: 'Alicia' },
          { pointer: '/subject', value: 'Service change' },
        ],
        reason: 'customer asked for the name to be corrected (GDPR art. 16)',
      },
      { newUuid: NEXT, now },
    )
    assert.equal(out.parties?.[0]?.name, 'Alicia')
    assert.equal(out.subject, 'Service change')
    const record = out.analysis?.[out.analysis.length - 1]
    assert.equal(record?.type, 'amendment_provenance')
    assert.deepEqual(record?.body, {
      amended_at: NOW.toISOString(),
      replaced: ['/parties/0/name', '/subject'],
      reason: 'customer asked for the name to be corrected (GDPR art. 16)',
    })
    assert.equal(JSON.stringify(record).includes('Alice'), false)
    assert.deepEqual(strictErrors(out), [])
  })

  test('a redacted prior: amended replaces redacted; url and content_hash are carried', () => {
    const hash =
      'sha512-GLy6IPaIUM1GqzZqfIPZlWjaDsNgNvZM0iCONNThnH0a75fhUM6cYzLZ5GynSURREvZwmOh54-2lRRieyj82UQ'
    const redacted = spec('ab_call_ext_rec_redacted.vcon')
    const out = amendVcon(
      redacted,
      { attachments: [] },
      { newUuid: NEXT, now, prior: { url: 'https://store.example.com/r.vcon', contentHash: hash } },
    )
    assert.equal(out.redacted, undefined)
    assert.deepEqual(out.amended, {
      uuid: redacted.uuid,
      url: 'https://store.example.com/r.vcon',
      content_hash: hash,
    })
  })

  test('refuses what would break identity, lineage or indices', () => {
    assert.throws(() => amendVcon(prior, {}, { newUuid: prior.uuid }), refused(/new uuid/))
    for (const pointer of ['/uuid', '/amended', '/redacted/uuid', '']) {
      assert.throws(
        () => amendVcon(prior, { replace: [{ pointer, value: 'x' }] }, { newUuid: NEXT }),
        refused(/amendVcon|whole vCon/),
        pointer,
      )
    }
    assert.throws(
      () => amendVcon(prior, { replace: [{ pointer: '/dialog', value: [] }] }, { newUuid: NEXT }),
      refused(/whole array/),
    )
    assert.throws(
      () =>
        amendVcon(
          prior,
          { replace: [{ pointer: '/dialog/5/type', value: 'text' }] },
          { newUuid: NEXT },
        ),
      refused(/not the index of an existing element/),
    )
    assert.throws(
      () => amendVcon(prior, { dialog: ['x' as never] }, { newUuid: NEXT }),
      refused(/must be an object/),
    )
  })

  test('a "__proto__" key in a replacement is data, not a prototype change', () => {
    const out = amendVcon(
      prior,
      { replace: [{ pointer: '/parties/0/__proto__', value: { polluted: true } }] },
      { newUuid: NEXT, now },
    )
    const party = out.parties?.[0] as Record<string, unknown>
    assert.equal(Object.getPrototypeOf(party), Object.prototype)
    assert.equal(({} as Record<string, unknown>).polluted, undefined)
  })
})
