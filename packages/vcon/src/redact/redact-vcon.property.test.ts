import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import type { Vcon } from '../model/vcon.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { luhnCheckDigit } from './luhn.js'
import { redactVcon } from './redact-vcon.js'

// Names and filler chosen so that no filler word, JSON key or replacement label contains a name.
const FIRST = [
  'Marisol',
  'Thaddeus',
  'Gwendolyn',
  'Hiroshi',
  'Ingrid',
  'Jamal',
  'Keziah',
  'Ludmila',
]
const LAST = [
  'Okafor',
  'Lindqvist',
  'Takahashi',
  'Moreau',
  'Kowalski',
  'Nakamura',
  'Brennan',
  'Haddad',
]
const FILLER = ['hello', 'thanks', 'please', 'the', 'order', 'ship', 'today', 'okay', 'yes', 'call']
const FILLER2 = [
  'me',
  'at',
  'my',
  'number',
  'is',
  'card',
  'email',
  'on',
  'for',
  'and',
  'so',
  'good',
]

const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`))

/** Phone numbers in the formats people write and transcribers print. */
const phone = fc
  .tuple(
    fc.integer({ min: 200, max: 999 }),
    fc.integer({ min: 200, max: 999 }),
    digits(4),
    fc.nat(7),
  )
  .map(([a, e, l, f]) => {
    switch (f) {
      case 0:
        return `(${a}) ${e}-${l}`
      case 1:
        return `${a}-${e}-${l}`
      case 2:
        return `${a}.${e}.${l}`
      case 3:
        return `${a} ${e} ${l}`
      case 4:
        return `+1 ${a} ${e} ${l}`
      case 5:
        return `+1${a}${e}${l}`
      case 6:
        return `+44 20 ${e}${String(a).slice(0, 1)} ${l}`
      default:
        return `${a}${e}${l}`
    }
  })

/** Luhn-valid card numbers of 13, 15, 16 and 19 digits, contiguous or grouped as printed. */
const card = fc
  .tuple(
    fc.constantFrom('4:16', '51:16', '55:16', '37:15', '4:13', '4:19', '6011:16'),
    digits(18),
    fc.nat(2),
  )
  .map(([spec, fill, f]) => {
    const [prefix = '4', len = '16'] = spec.split(':')
    const partial = (prefix + fill).slice(0, Number(len) - 1)
    const n = partial + luhnCheckDigit(partial)
    if (f === 0 || n.length === 13) return n
    if (n.length === 15) return `${n.slice(0, 4)} ${n.slice(4, 10)} ${n.slice(10)}`
    const sep = f === 1 ? ' ' : '-'
    return (n.match(/.{1,4}/g) ?? []).join(sep)
  })

const email = fc
  .tuple(
    fc.stringMatching(/^[a-z][a-z0-9]{0,7}(?:[._+-][a-z0-9]{1,5})?$/),
    fc.stringMatching(/^[a-z][a-z0-9]{1,9}$/),
    fc.constantFrom('com', 'org', 'io', 'co.uk', 'example'),
  )
  .map(([local, domain, tld]) => `${local}@${domain}.${tld}`)

const person = fc
  .tuple(fc.constantFrom(...FIRST), fc.constantFrom(...LAST))
  .map(([first, last]) => ({ first, last, full: `${first} ${last}` }))

type Person = { first: string; last: string; full: string }

/** One utterance: filler words with PII items between them, and the PII strings it embeds. */
function utterance(people: readonly Person[]) {
  const mention = fc.tuple(fc.nat(people.length - 1), fc.nat(4)).map(([i, f]) => {
    const p = people[i] as Person
    return [p.full, p.first, p.last, p.full.toLowerCase(), p.last.toUpperCase()][f] as string
  })
  const item = fc.oneof(
    phone.map((v) => ({ pii: v })),
    card.map((v) => ({ pii: v })),
    email.map((v) => ({ pii: v })),
    mention.map((v) => ({ pii: v })),
    fc.constantFrom(...FILLER, ...FILLER2).map((w) => ({ word: w })),
  )
  return fc.array(item, { minLength: 1, maxLength: 12 }).map((items) => ({
    text: items.map((x) => ('pii' in x ? x.pii : x.word)).join(' '),
    pii: items.flatMap((x) => ('pii' in x ? [x.pii] : [])),
  }))
}

const scenario = fc
  .uniqueArray(person, { minLength: 1, maxLength: 3, selector: (p) => p.first })
  .chain((people) =>
    fc.record({
      people: fc.constant(people),
      tels: fc.array(phone, { minLength: people.length, maxLength: people.length }),
      mails: fc.array(email, { minLength: people.length, maxLength: people.length }),
      lines: fc.array(utterance(people), { minLength: 1, maxLength: 5 }),
    }),
  )

function buildVcon(s: {
  people: readonly Person[]
  tels: readonly string[]
  mails: readonly string[]
  lines: readonly { text: string }[]
}): Vcon {
  const start = Date.parse('2026-03-01T09:00:00Z')
  const at = (sec: number) => new Date(start + sec * 1000).toISOString()
  const words: Record<string, unknown>[] = []
  const segments = s.lines.map((line, i) => {
    for (const token of line.text.split(' ')) {
      words.push({
        id: words.length,
        start: i,
        end: i + 0.5,
        text: token,
        confidence: 0.9,
        speaker: i % 2,
      })
    }
    return { id: i, start: i, end: i + 1, text: line.text, confidence: 0.9, speaker: i % 2 }
  })
  const n = s.people.length
  return {
    vcon: '0.4.0',
    uuid: '019f15a6-a752-826f-b9a2-279e0d16bc46',
    created_at: at(0),
    extensions: ['wtf_transcription'],
    parties: s.people.map((p, i) => ({ name: p.full, tel: s.tels[i], mailto: s.mails[i] })),
    dialog: s.lines.map((line, i) => ({
      type: 'text',
      start: at(i),
      parties: [i % n, (i + 1) % n],
      mediatype: 'text/plain',
      encoding: 'none',
      body: line.text,
    })),
    analysis: [
      {
        type: 'wtf_transcription',
        dialog: 0,
        vendor: 'whisper',
        encoding: 'json',
        body: {
          transcript: {
            text: s.lines.map((l) => l.text).join(' '),
            language: 'en',
            duration: s.lines.length + 1,
            confidence: 0.9,
          },
          segments,
          words,
          metadata: {
            created_at: at(10),
            processed_at: at(11),
            provider: 'whisper',
            model: 'large-v3',
            audio: { duration: s.lines.length + 1 },
          },
        },
      },
      {
        type: 'summary',
        dialog: 0,
        vendor: 'acme',
        encoding: 'none',
        body: `Summary: ${s.lines.map((l) => l.text).join(' / ')}`,
      },
    ],
  } as Vcon
}

describe('redactVcon property: generated transcripts', () => {
  test('no embedded value survives, the result is strictly valid, every array keeps its length', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const input = buildVcon(s)
        assert.deepEqual(
          validateVcon(input, { mode: 'strict' }).issues.filter((i) => i.severity === 'error'),
          [],
          'the generated input is valid to begin with',
        )
        const { vcon: out, report } = redactVcon(
          input,
          { partyFields: ['tel', 'mailto', 'name'], text: {} },
          {
            newUuid: '01928e10-193e-8231-b9a2-279e0d16bc46',
            now: () => new Date('2026-03-02T00:00:00Z'),
          },
        )
        const json = JSON.stringify(out)
        const secrets = [
          ...s.lines.flatMap((l) => l.pii),
          ...s.tels,
          ...s.mails,
          ...s.people.flatMap((p) => [p.full, p.first, p.last]),
        ]
        for (const secret of secrets) {
          assert.equal(json.includes(secret), false, `"${secret}" survived`)
          const digitsOnly = secret.replace(/\D/g, '')
          if (digitsOnly.length >= 7) {
            assert.equal(json.includes(digitsOnly), false, `digits of "${secret}" survived`)
          }
        }
        const errors = validateVcon(out, { mode: 'strict' }).issues.filter(
          (i) => i.severity === 'error',
        )
        assert.deepEqual(errors, [])
        assert.equal(out.parties?.length, input.parties?.length)
        assert.equal(out.dialog?.length, input.dialog?.length)
        // The input's analyses plus the redaction report.
        assert.equal(out.analysis?.length, (input.analysis?.length ?? 0) + 1)
        const body = out.analysis?.[0]?.body as { segments: unknown[]; words: unknown[] }
        const inBody = input.analysis?.[0]?.body as { segments: unknown[]; words: unknown[] }
        assert.equal(body.segments.length, inBody.segments.length)
        assert.equal(body.words.length, inBody.words.length)
        const embedded = s.lines.reduce((n, l) => n + l.pii.length, 0)
        const counted = Object.values(report.removed).reduce((a, b) => a + b, 0)
        assert.ok(counted >= embedded, `counted ${counted} spans for ${embedded} embedded values`)
      }),
      { numRuns: 150 },
    )
  })
})
