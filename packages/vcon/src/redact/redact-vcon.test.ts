import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { isVconError } from '../errors/vcon-error.js'
import type { Vcon } from '../model/vcon.js'
import { parseVcon } from '../parse/parse-vcon.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { redactVcon } from './redact-vcon.js'

const SPEC = new URL('../../test/fixtures/corpus/spec-examples/', import.meta.url)
const NEW_UUID = '01928e10-193e-8231-b9a2-279e0d16bc46'
const NOW = new Date('2026-07-01T12:00:00.000Z')
const now = () => NOW

function spec(name: string): Vcon {
  const parsed = parseVcon(readFileSync(new URL(name, SPEC), 'utf8'), { mode: 'lenient' })
  assert.equal(parsed.form, 'unsigned')
  return parsed.vcon
}

function strictErrors(vcon: unknown): string[] {
  return validateVcon(vcon, { mode: 'strict' })
    .issues.filter((i) => i.severity === 'error')
    .map((i) => `${i.pointer} ${i.code}: ${i.message}`)
}

function refusedWith(code: string, pattern?: RegExp) {
  return (e: unknown) => isVconError(e) && e.code === code && (pattern?.test(e.message) ?? true)
}

const TEXT = {
  type: 'text',
  start: '2026-01-01T10:00:00Z',
  mediatype: 'text/plain',
  encoding: 'none',
}

/** A small strict-valid vCon with three text dialogs, two analyses and two attachments. */
function sample(extra: Record<string, unknown> = {}): Vcon {
  return {
    vcon: '0.4.0',
    uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46',
    created_at: '2026-01-01T10:00:00Z',
    parties: [
      { name: 'Marisol Okafor', tel: '+15550100001', mailto: 'marisol@example.com' },
      { name: 'Agent Thaddeus', tel: '+15550100002' },
    ],
    dialog: [
      { ...TEXT, parties: [0, 1], body: 'Hi, this is Marisol, call me on 555-010-0199.' },
      { ...TEXT, parties: [1, 0], body: 'Your card 4111 1111 1111 1111 is blocked, Ms Okafor.' },
      { ...TEXT, parties: [0, 1], body: 'Thanks Thaddeus!' },
    ],
    analysis: [
      {
        type: 'summary',
        vendor: 'acme',
        dialog: 1,
        encoding: 'none',
        body: 'Card 4111111111111111 blocked.',
      },
      { type: 'sentiment', vendor: 'acme', dialog: [0, 1], encoding: 'json', body: { score: 0.4 } },
    ],
    attachments: [
      {
        purpose: 'tags',
        start: '2026-01-01T10:00:00Z',
        party: 1,
        dialog: 0,
        encoding: 'json',
        body: ['vip'],
      },
      {
        purpose: 'notes',
        start: '2026-01-01T10:00:00Z',
        party: 1,
        dialog: 2,
        encoding: 'none',
        body: 'Reach her at marisol@example.com',
      },
    ],
    ...extra,
  } as Vcon
}

describe('redactVcon on the draft example ab_call_ext_rec_with_redact.vcon', () => {
  const original = spec('ab_call_ext_rec_with_redact.vcon')
  const before = JSON.stringify(original)
  const { vcon: out, report } = redactVcon(
    original,
    { partyFields: ['tel'], text: {} },
    { newUuid: NEW_UUID, now },
  )
  const json = JSON.stringify(out)

  test('is a strictly valid new vCon pointing at the original', () => {
    assert.deepEqual(strictErrors(out), [])
    assert.equal(out.uuid, NEW_UUID)
    assert.deepEqual(out.redacted, { uuid: original.uuid, type: 'PII Redaction' })
    assert.equal(out.amended, undefined)
    assert.equal(out.created_at, NOW.toISOString(), 'the original has no created_at')
    assert.equal(out.updated_at, NOW.toISOString())
  })

  test('removes the tel values and the spoken number, keeps the indices', () => {
    assert.deepEqual(out.parties, [{ name: 'Alice' }, { name: 'Bob' }])
    for (const value of ['+12345678901', '+19876543210', '1234567890']) {
      assert.equal(json.includes(value), false, value)
    }
    assert.equal(out.dialog?.length, original.dialog?.length)
    assert.equal(out.analysis?.length, (original.analysis?.length ?? 0) + 1)
    // transcript, word, punctuated_word, paragraphs transcript and sentence: five occurrences.
    assert.equal(report.removed.phone, 5)
    assert.ok((report.removed.name ?? 0) > 0)
  })

  test('rewrites the transcripts span by span', () => {
    const body = out.analysis?.[0]?.body as {
      results: { channels: { alternatives: { transcript: string; words: { word: string }[] }[] }[] }
    }
    const alt = body.results.channels[0]?.alternatives[0]
    assert.match(
      alt?.transcript ?? '',
      /My name is \[name\], and my number is \[phone\]\. Thank you\./,
    )
    assert.deepEqual(
      alt?.words.slice(44, 48).map((w) => w.word),
      ['my', 'number', 'is', '[phone]'],
    )
    const redactedTranscript = out.analysis?.[1]?.body as { text: string }[]
    assert.equal(redactedTranscript[2]?.text, 'My name is [name].')
  })

  test('leaves the recording alone without dropMedia and says it was not inspected', () => {
    assert.deepEqual(out.dialog?.[0], original.dialog?.[0])
    assert.deepEqual(report.uninspected, ['/dialog/0'])
  })

  test('records counts, never values, in a redaction_report analysis', () => {
    const record = out.analysis?.[out.analysis.length - 1]
    assert.equal(record?.type, 'redaction_report')
    assert.equal(record?.encoding, 'json')
    const body = record?.body as Record<string, unknown>
    assert.deepEqual(body.kinds, report.removed)
    assert.deepEqual(body.party_fields_removed, { tel: 2 })
    assert.equal(JSON.stringify(body).includes('Alice'), false)
  })

  test('never changes its input', () => {
    assert.equal(JSON.stringify(original), before)
  })

  test('dropMedia removes the url, keeps content_hash, exactly as the draft example does', () => {
    const redactedExample = spec('ab_call_ext_rec_redacted.vcon')
    const media = redactVcon(
      original,
      { partyFields: ['tel'], dropMedia: true },
      { newUuid: NEW_UUID, now },
    )
    assert.deepEqual(media.vcon.dialog?.[0], redactedExample.dialog?.[0])
    assert.deepEqual(media.vcon.parties, redactedExample.parties)
    assert.deepEqual(media.report.mediaDropped, [0])
    assert.deepEqual(strictErrors(media.vcon), [])
  })
})

describe('redactVcon: whole elements become placeholders', () => {
  test('dropped dialogs, analyses and attachments leave {} and every index stays valid', () => {
    const input = sample()
    const { vcon: out, report } = redactVcon(
      input,
      {
        dialogs: [1],
        dropAttachments: { purposes: ['notes'] },
        dropAnalyses: { types: ['nothing-matches'] },
      },
      { newUuid: NEW_UUID, now },
    )
    assert.deepEqual(out.dialog?.[1], {})
    assert.deepEqual(out.dialog?.[0], input.dialog?.[0])
    // The summary was derived only from dialog 1: it would repeat it, so it goes too.
    assert.deepEqual(out.analysis?.[0], {})
    assert.deepEqual(out.analysis?.[1], input.analysis?.[1])
    assert.deepEqual(out.attachments?.[1], {})
    assert.deepEqual(out.attachments?.[0], input.attachments?.[0])
    assert.deepEqual(report.dialogsDropped, [1])
    assert.deepEqual(report.analysesDropped, [0])
    assert.deepEqual(report.attachmentsDropped, [1])
    assert.deepEqual(strictErrors(out), [])
    assert.equal(JSON.stringify(out).includes('4111'), false)
  })

  test('dropDerivedAnalyses: false keeps the derived analysis; indices out of range are refused', () => {
    const { vcon: out } = redactVcon(
      sample(),
      { dialogs: [1], dropDerivedAnalyses: false, dropAnalyses: [1] },
      { newUuid: NEW_UUID, now },
    )
    assert.equal(out.analysis?.[0]?.type, 'summary')
    assert.deepEqual(out.analysis?.[1], {})
    assert.throws(
      () => redactVcon(sample(), { dialogs: [3] }, { newUuid: NEW_UUID }),
      refusedWith('VCON_BAD_ARGUMENT', /index 3/),
    )
  })
})

describe('redactVcon: text', () => {
  test('every text target, party names and subject; counts by kind', () => {
    const { vcon: out, report } = redactVcon(
      sample({ subject: 'Call from Marisol Okafor' }),
      { partyFields: ['tel', 'mailto', 'name'], text: {} },
      { newUuid: NEW_UUID, now },
    )
    assert.equal(out.dialog?.[0]?.body, 'Hi, this is [name], call me on [phone].')
    assert.equal(out.dialog?.[1]?.body, 'Your card [card] is blocked, Ms [name].')
    assert.equal(out.dialog?.[2]?.body, 'Thanks [name]!')
    assert.equal(out.analysis?.[0]?.body, 'Card [card] blocked.')
    assert.equal(out.attachments?.[1]?.body, 'Reach her at [email]')
    assert.equal(out.subject, 'Call from [name]')
    assert.deepEqual(out.parties, [{}, {}])
    assert.deepEqual(report.removed, { card: 2, email: 1, name: 4, phone: 1 })
    assert.deepEqual(report.partyFieldsRemoved, { tel: 2, mailto: 1, name: 2 })
    assert.deepEqual(strictErrors(out), [])
  })

  test('base64url text bodies are decoded, redacted and re-encoded; their content_hash goes', () => {
    const body = Buffer.from('Mail me: marisol@example.com', 'utf8').toString('base64url')
    const input = sample()
    const dialogs = [...(input.dialog ?? [])]
    dialogs[2] = {
      ...TEXT,
      parties: [0, 1],
      encoding: 'base64url',
      body,
      content_hash:
        'sha512-GLy6IPaIUM1GqzZqfIPZlWjaDsNgNvZM0iCONNThnH0a75fhUM6cYzLZ5GynSURREvZwmOh54-2lRRieyj82UQ',
    }
    const { vcon: out, report } = redactVcon(
      { ...input, dialog: dialogs },
      { text: { kinds: ['email'] } },
      { newUuid: NEW_UUID, now },
    )
    const d = out.dialog?.[2]
    assert.equal(Buffer.from(String(d?.body), 'base64url').toString('utf8'), 'Mail me: [email]')
    assert.equal(d?.content_hash, undefined)
    assert.deepEqual(report.contentHashesRemoved, ['/dialog/2'])
    assert.equal(out.dialog?.[0]?.body, input.dialog?.[0]?.body, 'kinds: only emails')
  })

  test('multipart email bodies: rewritten in place, or dropped when parts are encoded', () => {
    const thread = spec('ab_email_acct_prob_thread.vcon')
    const { vcon: out, report } = redactVcon(
      thread,
      { partyFields: ['mailto', 'name'], text: {} },
      { newUuid: NEW_UUID, now },
    )
    const json = JSON.stringify(out)
    for (const value of ['b@example.com', 'a@example.com', 'Alice', 'Bob']) {
      assert.equal(json.includes(value), false, value)
    }
    assert.equal(out.dialog?.length, thread.dialog?.length)
    for (const pointer of report.bodiesDropped) {
      const i = Number(pointer.split('/')[2])
      assert.equal(out.dialog?.[i]?.body, undefined)
    }
  })

  test('a custom detector replaces the default, party names still come along', () => {
    const { vcon: out } = redactVcon(
      sample(),
      {
        text: {
          detector: {
            detect: (t) =>
              [...t.matchAll(/blocked/g)].map((m) => ({
                start: m.index,
                end: m.index + 7,
                kind: 'word',
              })),
          },
          replacement: () => '***',
        },
      },
      { newUuid: NEW_UUID, now },
    )
    assert.equal(out.dialog?.[1]?.body, 'Your card 4111 1111 1111 1111 is ***, Ms ***.')
  })
})

describe('redactVcon: refusals and references', () => {
  test('an extension the registry does not know is refused unless forced', () => {
    const input = sample({ extensions: ['x_mystery'] })
    assert.throws(
      () => redactVcon(input, {}, { newUuid: NEW_UUID }),
      refusedWith('VCON_REDACTION_REFUSED', /"x_mystery"/),
    )
    const { vcon: out } = redactVcon(input, {}, { newUuid: NEW_UUID, force: true, now })
    assert.deepEqual(out.extensions, ['x_mystery'])
    // Known extensions pass.
    redactVcon(sample({ extensions: ['wtf_transcription'] }), {}, { newUuid: NEW_UUID })
  })

  test('an unsupported critical extension is refused even when forced', () => {
    const input = sample({ extensions: ['x_mystery'], critical: ['x_mystery'] })
    assert.throws(
      () => redactVcon(input, {}, { newUuid: NEW_UUID, force: true }),
      refusedWith('VCON_CRITICAL_UNSUPPORTED'),
    )
  })

  test('url and content_hash of the stored original go into redacted; amended is dropped', () => {
    const hash =
      'sha512-GLy6IPaIUM1GqzZqfIPZlWjaDsNgNvZM0iCONNThnH0a75fhUM6cYzLZ5GynSURREvZwmOh54-2lRRieyj82UQ'
    const input = sample({ amended: { uuid: '019f15a6-aa72-8dbd-a20f-d188127fad29' } })
    const { vcon: out } = redactVcon(
      input,
      { type: 'De-identification' },
      {
        newUuid: () => NEW_UUID,
        original: { url: 'https://vault.example.com/v/1.vcon', contentHash: hash },
        recordReport: false,
      },
    )
    assert.deepEqual(out.redacted, {
      uuid: input.uuid,
      type: 'De-identification',
      url: 'https://vault.example.com/v/1.vcon',
      content_hash: hash,
    })
    assert.equal(out.amended, undefined)
    assert.equal(out.created_at, input.created_at)
    assert.equal(out.analysis?.length, input.analysis?.length)
    assert.deepEqual(strictErrors(out), [])
  })

  test('bad options are refused with what to do', () => {
    const input = sample()
    assert.throws(
      () => redactVcon(input, {}, { newUuid: input.uuid }),
      refusedWith('VCON_BAD_ARGUMENT', /new uuid/),
    )
    assert.throws(
      () => redactVcon(input, {}, { newUuid: 'nope' }),
      refusedWith('VCON_BAD_ARGUMENT', /newUuid/),
    )
    assert.throws(
      () =>
        redactVcon(
          input,
          {},
          {
            newUuid: NEW_UUID,
            original: { url: 'http://vault.example.com/1', contentHash: 'sha512-abc' },
          },
        ),
      refusedWith('VCON_BAD_ARGUMENT', /https/),
    )
    assert.throws(
      () => redactVcon(input, { partyfields: ['tel'] } as never, { newUuid: NEW_UUID }),
      refusedWith('VCON_BAD_ARGUMENT', /partyfields/),
    )
  })
})
