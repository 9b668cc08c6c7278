/**
 * redactSubject, the redaction erasure's redact mode uses: the person's party keeps only its role, their number
 * (in any written form, national included), address and name leave every readable text, the media of recordings
 * they are in goes, and everything of the other parties stays; the result validates strictly, points at the
 * original (core draft §4.1.8) and leaves no residue the subject finder would find.
 */
import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseVcon, type Vcon, VconError } from '@vconkit/vcon'
import { parseSubjectIdentifier } from '../src/privacy/find-subject.js'
import { redactSubject, subjectResidue } from '../src/privacy/redact-subject.js'

const ORIGINAL = '0195544a-3b0c-8c6e-b1f2-3c4d5e6f7a8b'
const NEW = '0195544a-3b0c-8c6e-b1f2-3c4d5e6f7a8c'
const b64 = (text: string) => Buffer.from(text).toString('base64url')

function vcon(extra: Record<string, unknown> = {}): Vcon {
  const parsed = parseVcon(
    JSON.stringify({
      vcon: '0.4.0',
      uuid: ORIGINAL,
      created_at: '2025-03-01T10:00:00.000Z',
      subject: 'Refund for Zelda Quist',
      parties: [
        { tel: '+15551230001', name: 'Alice Agent', role: 'agent' },
        {
          tel: 'tel:+1-555-010-2030',
          name: 'Zelda Quist',
          mailto: 'Zelda.Quist@example.org',
          role: 'customer',
          meta: { crm: 'Z-77' },
        },
        { tel: '+15559990000', name: 'Bruno Supervisor' },
      ],
      dialog: [
        {
          type: 'text',
          start: '2025-03-01T10:00:00.000Z',
          parties: [1, 0],
          originator: 1,
          mediatype: 'text/plain',
          encoding: 'none',
          body: 'Zelda here, reach me on (555) 010-2030, or 010-2030 at home, or zelda.quist@example.org.',
        },
        {
          type: 'text',
          start: '2025-03-01T10:01:00.000Z',
          parties: [0, 1],
          originator: 0,
          mediatype: 'text/plain',
          encoding: 'none',
          body: 'Alice Agent speaking; Bruno can be reached on +1 555 999 0000.',
        },
        {
          type: 'recording',
          start: '2025-03-01T10:02:00.000Z',
          parties: [0, 1],
          mediatype: 'audio/wav',
          encoding: 'base64url',
          body: b64('RIFF fake audio'),
          content_hash: `sha512-${'A'.repeat(86)}`,
        },
        {
          type: 'recording',
          start: '2025-03-01T10:03:00.000Z',
          parties: [0, 2],
          mediatype: 'audio/wav',
          url: 'https://media.example.com/agent-supervisor.wav',
          content_hash: `sha512-${'B'.repeat(86)}`,
        },
      ],
      analysis: [
        {
          type: 'transcript',
          dialog: 2,
          vendor: 'fake-stt',
          encoding: 'json',
          body: {
            transcript: { text: 'My number is 5550102030, Zelda Quist.' },
            speaker: 'Alice Agent',
          },
        },
      ],
      attachments: [
        {
          type: 'note',
          start: '2025-03-01T10:04:00.000Z',
          party: 0,
          dialog: 0,
          mediatype: 'text/plain',
          encoding: 'base64url',
          body: b64('Follow up with ZELDA.QUIST@EXAMPLE.ORG tomorrow.'),
        },
      ],
      ...extra,
    }),
    { mode: 'strict' },
  )
  assert.equal(parsed.form, 'unsigned')
  return parsed.form === 'unsigned' ? parsed.vcon : assert.fail('unsigned')
}

const now = () => new Date('2026-01-01T00:00:00.000Z')

/** The value at a JSON pointer (RFC 6901, without escapes). */
function at(value: unknown, pointer: string): unknown {
  let node = value
  for (const key of pointer.split('/').slice(1)) {
    node = (node as Record<string, unknown> | undefined)?.[key]
  }
  return node
}
const redact = (v: Vcon, identifier = 'tel:+15550102030') =>
  redactSubject(v, parseSubjectIdentifier(identifier), { newUuid: NEW, now })

test('the person leaves the parties and every readable text; the others stay whole', () => {
  const original = vcon()
  const { vcon: out, parties, uninspected, report } = redact(original)
  assert.deepEqual(parties, [1])
  assert.equal(at(out, '/uuid'), NEW)
  assert.deepEqual(at(out, '/redacted'), { uuid: ORIGINAL, type: 'Party Erasure' })
  assert.deepEqual(at(out, '/parties'), [
    { tel: '+15551230001', name: 'Alice Agent', role: 'agent' },
    { role: 'customer' },
    { tel: '+15559990000', name: 'Bruno Supervisor' },
  ])
  assert.equal(
    at(out, '/dialog/0/body'),
    '[name] here, reach me on [phone], or [phone] at home, or [email].',
  )
  assert.equal(
    at(out, '/dialog/1/body'),
    'Alice Agent speaking; Bruno can be reached on +1 555 999 0000.',
  )
  assert.equal(at(out, '/subject'), 'Refund for [name]')
  assert.equal(at(out, '/analysis/0/body/transcript/text'), 'My number is [phone], [name].')
  assert.equal(at(out, '/analysis/0/body/speaker'), 'Alice Agent')
  assert.equal(
    Buffer.from(at(out, '/attachments/0/body') as string, 'base64url').toString(),
    'Follow up with [email] tomorrow.',
  )
  // The recording the person is in loses its media (a voice identifies); the other keeps its reference.
  assert.equal(at(out, '/dialog/2/body'), undefined)
  assert.equal(at(out, '/dialog/2/content_hash'), `sha512-${'A'.repeat(86)}`)
  assert.equal(at(out, '/dialog/3/url'), 'https://media.example.com/agent-supervisor.wav')
  assert.deepEqual(uninspected, ['/dialog/3'])
  assert.deepEqual(report.partyFieldsRemoved, { tel: 1, name: 1, mailto: 1, meta: 1 })
  assert.deepEqual(report.mediaDropped, [2])
  const kept = (at(out, '/analysis') as unknown[]).at(-1)
  assert.equal(at(kept, '/type'), 'redaction_report')
  assert.deepEqual(at(kept, '/body/parties_redacted'), [1])
  assert.deepEqual(at(kept, '/body/party_fields_removed'), { tel: 1, name: 1, mailto: 1, meta: 1 })

  assert.equal(parseVcon(JSON.stringify(out), { mode: 'strict' }).form, 'unsigned')
  const subject = parseSubjectIdentifier('tel:+15550102030')
  assert.ok(subjectResidue(original, subject, original).length > 0)
  assert.deepEqual(subjectResidue(out, subject, original), [])
  const text = JSON.stringify(out).toLowerCase()
  for (const gone of ['0102030', 'zelda', 'quist', 'z-77']) assert.ok(!text.includes(gone), gone)
  // The input is untouched.
  assert.equal(at(original, '/parties/1/name'), 'Zelda Quist')
})

test('any identifier of the person finds the same party; a mention in text alone redacts the text', () => {
  for (const id of ['mailto:zelda.quist@example.org', 'name:zelda quist', 'tel:(555) 010-2030']) {
    const { parties } = redactSubject(vcon(), parseSubjectIdentifier(id), { newUuid: NEW, now })
    assert.deepEqual(parties, id.startsWith('tel:(555)') ? [] : [1], id)
  }
  // Bruno is a party, but the number written in the text is someone else's: only that text changes.
  const { vcon: out, parties } = redact(vcon(), 'tel:+15559990000')
  assert.deepEqual(parties, [2])
  assert.equal(at(out, '/dialog/1/body'), 'Alice Agent speaking; [name] can be reached on [phone].')
  assert.equal(at(out, '/parties/1/name'), 'Zelda Quist')
})

test('an extension the redactor does not understand is refused, not passed through', () => {
  assert.throws(
    () => redact(vcon({ extensions: ['x-unknown-pii'] })),
    (error: unknown) => error instanceof VconError && error.code === 'VCON_REDACTION_REFUSED',
  )
})
