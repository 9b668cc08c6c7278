import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { describe, test } from 'node:test'
import { corpusPath } from '../../test/corpus.js'
import { draftSchemaErrors } from '../../test/support/draft-json-schema.js'
import { deepFreeze } from '../internal/deep.js'
import type { Vcon } from '../model/vcon.js'
import { getTags } from '../read/tags.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { decodeUuid8, uuid8DomainBits } from './uuid8.js'
import { DEFAULT_UUID_DOMAIN, VconBuilder } from './vcon-builder.js'

const NOW = new Date('2025-03-04T10:00:00.000Z')
const now = () => NOW
const HASH = `sha512-${'A'.repeat(86)}`

function readCorpus(path: string): Vcon {
  return JSON.parse(readFileSync(corpusPath(path), 'utf8')) as Vcon
}

/** A builder holding one of everything; returns the builder and the indices it handed out. */
function fullBuilder() {
  const b = new VconBuilder({ domain: 'example.com', now })
  const alice = b.addParty({ tel: '+15551230000', name: 'Alice' })
  const bob = b.addParty({ mailto: 'bob@example.com', name: 'Bob' })
  const agent = b.addParty({ sip: 'sip:agent@example.com', name: 'Agent', type: 'person' })
  const text = b.addTextDialog({
    parties: [alice, bob],
    start: '2025-03-04T09:00:00Z',
    body: 'Hello',
  })
  const rec1 = b.addRecordingDialog({
    parties: [[alice], [bob]],
    start: new Date('2025-03-04T09:01:00Z'),
    duration: 12.5,
    mediatype: 'audio/wav',
    filename: 'leg1.wav',
    body: new Uint8Array([0, 1, 2, 250, 251, 252]),
    sessionId: [{ local: 'a'.repeat(32), remote: 'b'.repeat(32) }, {}],
    partyHistory: [
      { party: alice, time: '2025-03-04T09:01:00Z', event: 'join' },
      { party: bob, time: new Date('2025-03-04T09:01:05Z'), event: 'keydown', button: '5' },
    ],
  })
  const rec2 = b.addRecordingDialog({
    parties: [alice, bob],
    start: '2025-03-04T09:02:00Z',
    mediatype: 'audio/mpeg',
    url: 'https://media.example.com/leg2.mp3',
    contentHash: HASH,
  })
  const set = b.addRecordingSet({
    parties: [alice, bob],
    start: '2025-03-04T09:01:00Z',
    recordings: [rec1, rec2],
  })
  const missed = b.addIncompleteDialog({
    parties: [alice, agent],
    start: '2025-03-04T09:03:00Z',
    disposition: 'no-answer',
  })
  const transfer = b.addTransferDialog({
    start: '2025-03-04T09:04:00Z',
    transferee: alice,
    transferor: bob,
    transferTarget: agent,
    original: rec1,
    targetDialog: missed,
  })
  const summary = b.addAnalysis({
    type: 'summary',
    dialog: [rec1, rec2],
    vendor: 'acme',
    body: { text: 'short' },
  })
  const note = b.addAttachment({ purpose: 'note', party: bob, dialog: text, body: 'call back' })
  const tags = b.addTags({ queue: 'sales', 'x-y': 'a:b' }, { party: agent, dialog: text })
  b.useExtension('wtf_transcription')
  b.setSubject('Order 42')
  return { b, alice, bob, agent, text, rec1, rec2, set, missed, transfer, summary, note, tags }
}

describe('VconBuilder: output', () => {
  test('passes strict validation and the draft JSON Schema, in the 0.4.0 shape', () => {
    const { b } = fullBuilder()
    const v = b.build()
    const result = validateVcon(v, { mode: 'strict' })
    assert.equal(result.valid, true, JSON.stringify(result.issues))
    assert.deepEqual(draftSchemaErrors(v), [])
    assert.equal(v.vcon, '0.4.0')
    assert.equal(v.created_at, '2025-03-04T10:00:00.000Z')
    assert.equal(v.subject, 'Order 42')
    assert.deepEqual(v.extensions, ['wtf_transcription'])
    assert.deepEqual(Object.keys(v), [
      'vcon',
      'uuid',
      'extensions',
      'created_at',
      'subject',
      'parties',
      'dialog',
      'analysis',
      'attachments',
    ])
  })

  test('the uuid is a UUIDv8 of the domain and the clock', () => {
    const v = fullBuilder().b.build()
    const fields = decodeUuid8(v.uuid)
    assert.equal(fields.version, 8)
    assert.equal(fields.variant, 2)
    assert.equal(fields.timestamp, NOW.getTime())
    assert.equal(fields.low62, uuid8DomainBits('example.com'))
    const other = new VconBuilder({ now }).addParty({}) // default domain
    assert.equal(other, 0)
    const dflt = new VconBuilder({ now })
    dflt.addParty({})
    assert.equal(decodeUuid8(dflt.build().uuid).low62, uuid8DomainBits(DEFAULT_UUID_DOMAIN))
    const given = new VconBuilder({ uuid: '019F15A6-A752-826F-B9A2-279E0D16BC46' })
    given.addParty({})
    assert.equal(given.build().uuid, '019f15a6-a752-826f-b9a2-279e0d16bc46')
  })

  test('each dialog type has the fields the draft asks for', () => {
    const { b, rec1, rec2, set, missed, transfer, text } = fullBuilder()
    const v = b.build()
    const d = v.dialog ?? []
    assert.deepEqual(d[text], {
      type: 'text',
      start: '2025-03-04T09:00:00Z',
      parties: [0, 1],
      mediatype: 'text/plain',
      body: 'Hello',
      encoding: 'none',
    })
    assert.equal(d[rec1]?.body, 'AAEC-vv8') // base64url, unpadded
    assert.equal(d[rec1]?.encoding, 'base64url')
    assert.equal(d[rec1]?.start, '2025-03-04T09:01:00.000Z')
    assert.deepEqual(d[rec1]?.party_history?.[1], {
      party: 1,
      time: '2025-03-04T09:01:05.000Z',
      event: 'keydown',
      button: '5',
    })
    assert.equal(d[rec1]?.recording_set, set)
    assert.equal(d[rec2]?.recording_set, set)
    assert.deepEqual(d[set]?.recordings, [rec1, rec2])
    assert.equal(d[set]?.type, 'recording-set')
    assert.equal(d[missed]?.disposition, 'no-answer')
    assert.deepEqual(d[transfer], {
      type: 'transfer',
      start: '2025-03-04T09:04:00Z',
      transferee: 0,
      transferor: 1,
      transfer_target: 2,
      original: rec1,
      target_dialog: missed,
    })
  })

  test('analysis encodings: JSON value → json (native), string → none, bytes → base64url', () => {
    const b = new VconBuilder({ now })
    b.addParty({})
    const a0 = b.addAnalysis({ type: 'sentiment', vendor: 'v', body: { score: 0.5 } })
    const a1 = b.addAnalysis({ type: 'summary', vendor: 'v', body: 'fine' })
    const a2 = b.addAnalysis({
      type: 'tts',
      vendor: 'v',
      body: new Uint8Array([255, 254]),
      mediatype: 'audio/wav',
    })
    const a3 = b.addAnalysis({ type: 'report', vendor: 'v', body: '{"a":[1]}', encoding: 'json' })
    const a4 = b.addAnalysis({
      type: 'report',
      vendor: 'v',
      url: 'https://x.example/r.pdf',
      contentHash: HASH,
    })
    const an = b.build().analysis ?? []
    assert.deepEqual([an[a0]?.encoding, an[a0]?.body], ['json', { score: 0.5 }])
    assert.deepEqual([an[a1]?.encoding, an[a1]?.body], ['none', 'fine'])
    assert.deepEqual([an[a2]?.encoding, an[a2]?.body], ['base64url', '__4'])
    assert.deepEqual([an[a3]?.encoding, an[a3]?.body], ['json', { a: [1] }])
    assert.deepEqual(
      [an[a4]?.url, an[a4]?.content_hash, an[a4]?.body],
      ['https://x.example/r.pdf', HASH, undefined],
    )
  })

  test('attachments always carry start (default: the clock) and party', () => {
    const b = new VconBuilder({ now })
    const p = b.addParty({ name: 'Org', type: 'organization' })
    const d = b.addTextDialog({ parties: p, start: NOW, body: 'x' })
    b.addAttachment({ purpose: 'invoice', party: p, dialog: d, body: { total: 3 } })
    b.addAttachment({
      purpose: 'scan',
      party: p,
      dialog: d,
      start: '2025-01-01T00:00:00+02:00',
      body: new Uint8Array([1]),
    })
    const [first, second] = b.build().attachments ?? []
    assert.deepEqual(first, {
      purpose: 'invoice',
      start: '2025-03-04T10:00:00.000Z',
      party: 0,
      dialog: 0,
      mediatype: 'application/json',
      body: { total: 3 },
      encoding: 'json',
    })
    assert.equal(second?.start, '2025-01-01T00:00:00+02:00')
    assert.equal(second?.mediatype, 'application/octet-stream')
    assert.equal(second?.body, 'AQ')
  })

  test('tags go into one tags attachment as "key:value" strings and read back with getTags', () => {
    const { b, tags } = fullBuilder()
    assert.equal(b.addTags({ queue: 'support', priority: 'high' }), tags)
    const v = b.build()
    const tagAttachments = (v.attachments ?? []).filter((a) => a.purpose === 'tags')
    assert.equal(tagAttachments.length, 1)
    assert.equal(tagAttachments[0]?.encoding, 'json')
    assert.deepEqual(tagAttachments[0]?.body, ['queue:support', 'x-y:a:b', 'priority:high'])
    assert.deepEqual(getTags(v), { queue: 'support', 'x-y': 'a:b', priority: 'high' })
    assert.throws(() => b.addTags({ 'a:b': 'c' }), { code: 'VCON_BAD_ARGUMENT', message: /no ":"/ })
    const fresh = new VconBuilder({ now })
    fresh.addParty({})
    assert.throws(() => fresh.addTags({ a: 'b' }), { code: 'VCON_BAD_ARGUMENT', message: /party/ })
  })

  test('placeholder dialogs are valid vCon but the informative schema rejects them (notes §g.19)', () => {
    const b = new VconBuilder({ now })
    const a = b.addParty({ name: 'A' })
    const c = b.addParty({ name: 'C' })
    const orig = b.addTextDialog({ parties: [a, c], start: NOW, body: 'hi' })
    const unknown = b.addPlaceholderDialog()
    b.addTransferDialog({
      start: NOW,
      transferee: a,
      transferor: c,
      transferTarget: [a],
      original: orig,
      targetDialog: unknown,
    })
    const v = b.build()
    assert.deepEqual(v.dialog?.[unknown], {})
    assert.equal(validateVcon(v, { mode: 'strict' }).valid, true)
    const errors = draftSchemaErrors(v)
    assert.ok(
      errors.length > 0 && errors.every((e) => e.startsWith(`/dialog/${unknown} `)),
      errors.join('\n'),
    )
  })

  test('extensions: critical names also go to extensions; an unsupported critical one fails the build', () => {
    const b = new VconBuilder({ now })
    b.addParty({})
    b.useExtension('lawful_basis', { critical: true }).useExtension('lawful_basis')
    const v = b.build()
    assert.deepEqual([v.extensions, v.critical], [['lawful_basis'], ['lawful_basis']])
    b.useExtension('x-unknown-ext', { critical: true })
    assert.throws(
      () => b.build(),
      (e: unknown) => {
        const err = e as { code: string; issues: { code: string }[] }
        return (
          err.code === 'VCON_INVALID' && err.issues.some((i) => i.code === 'critical-unsupported')
        )
      },
    )
  })

  test('an attachment without dialog fails strict validation but builds in lenient mode', () => {
    const b = new VconBuilder({ now })
    const p = b.addParty({})
    b.addTags({ a: '1' }, { party: p })
    assert.throws(() => b.build(), { code: 'VCON_INVALID', message: /\/attachments\/0\/dialog/ })
    const v = b.build({ mode: 'lenient' })
    assert.deepEqual(getTags(v), { a: '1' })
  })

  test('redacted and amended are mutually exclusive', () => {
    const uuid = '019f15a6-a752-826f-b9a2-279e0d16bc46'
    const b = new VconBuilder({ now })
    b.setRedacted({ uuid, type: 'PII Redaction' })
    assert.throws(() => b.setAmended({ uuid }), {
      code: 'VCON_BAD_ARGUMENT',
      message: /setAmended/,
    })
    const c = new VconBuilder({ now })
    c.setAmended({ uuid, url: 'https://store.example/v.json', contentHash: HASH })
    assert.throws(() => c.setRedacted({ uuid, type: 'x' }), { code: 'VCON_BAD_ARGUMENT' })
    c.addParty({})
    assert.deepEqual(c.build().amended, {
      uuid,
      url: 'https://store.example/v.json',
      content_hash: HASH,
    })
    assert.throws(() => new VconBuilder().setAmended({ uuid, url: 'https://a.example/' }), {
      message: /setAmended\.contentHash/,
    })
  })
})

describe('VconBuilder: argument checks', () => {
  const base = () => {
    const b = new VconBuilder({ now })
    b.addParty({ name: 'A' })
    b.addParty({ name: 'B' })
    return b
  }

  test('recordings need exactly one of body or url + content_hash, with an https url', () => {
    const b = base()
    const rec = { parties: [0, 1], start: NOW, mediatype: 'audio/wav' } as const
    assert.throws(
      () => b.addRecordingDialog({ ...rec, url: 'http://x.example/a.wav', contentHash: HASH }),
      {
        code: 'VCON_BAD_ARGUMENT',
        message: /addRecordingDialog\.url/,
      },
    )
    assert.throws(() => b.addRecordingDialog({ ...rec, url: 'https://x.example/a.wav' }), {
      message: /addRecordingDialog\.contentHash/,
    })
    assert.throws(
      () =>
        b.addRecordingDialog({ ...rec, url: 'https://x.example/a.wav', contentHash: 'sha512-abc' }),
      {
        message: /86 base64url characters/,
      },
    )
    assert.throws(
      () =>
        b.addRecordingDialog({
          ...rec,
          body: new Uint8Array([1]),
          url: 'https://x.example/a',
          contentHash: HASH,
        }),
      {
        message: /not both/,
      },
    )
    assert.throws(() => b.addRecordingDialog({ ...rec }), { message: /needs content/ })
    assert.throws(() => b.addRecordingDialog({ ...rec, body: 'not base64!' }), {
      message: /base64url/,
    })
    assert.equal(b.addRecordingDialog({ ...rec, body: 'AQID' }), 0)
  })

  test('indices must exist when the item is added', () => {
    const b = base()
    assert.throws(() => b.addTextDialog({ parties: [0, 2], start: NOW, body: 'x' }), {
      code: 'VCON_BAD_ARGUMENT',
      message: /addTextDialog\.parties\[1\]/,
    })
    const t = b.addTextDialog({ parties: [0, 1], start: NOW, body: 'x' })
    const inc = b.addIncompleteDialog({ parties: [0, 1], start: NOW, disposition: 'busy' })
    const transfer = {
      start: NOW,
      transferee: 0,
      transferor: 1,
      transferTarget: 1,
      original: t,
      targetDialog: inc,
    }
    assert.throws(() => b.addTransferDialog({ ...transfer, transferee: 5 }), {
      message: /transferee/,
    })
    assert.throws(() => b.addTransferDialog({ ...transfer, targetDialog: 9 }), {
      message: /targetDialog/,
    })
    assert.throws(() => b.addTransferDialog({ ...transfer, original: inc }), {
      message: /original.*incomplete/,
    })
    assert.throws(() => b.addRecordingSet({ parties: [0], start: NOW, recordings: [t] }), {
      message: /not a recording/,
    })
    assert.throws(() => b.addAnalysis({ type: 't', vendor: 'v', dialog: 7, body: 'x' }), {
      message: /addAnalysis\.dialog/,
    })
    assert.throws(() => b.addAttachment({ purpose: 'p', party: 3, body: 'x' }), {
      message: /addAttachment\.party/,
    })
    assert.throws(
      () => b.addIncompleteDialog({ parties: 0, start: NOW, disposition: 'gone' as 'busy' }),
      {
        message: /disposition/,
      },
    )
    assert.throws(() => b.addTextDialog({ parties: 0, start: '2025-01-01 10:00', body: 'x' }), {
      message: /start/,
    })
    assert.throws(
      () =>
        b.addRecordingDialog({
          parties: 0,
          start: NOW,
          mediatype: 'audio/wav',
          body: 'AQ',
          partyHistory: [{ party: 0, time: NOW, event: 'keyup' }],
        }),
      { message: /partyHistory\[0\]\.button/ },
    )
    assert.throws(
      () => b.addTextDialog({ parties: 0, start: NOW, body: 'x', extra: { body: 'y' } }),
      {
        message: /extra\.body/,
      },
    )
  })

  test('a recording can join an existing recording-set, which then lists it', () => {
    const b = base()
    const r0 = b.addRecordingDialog({ parties: 0, start: NOW, mediatype: 'audio/wav', body: 'AQ' })
    const set = b.addRecordingSet({ parties: [0, 1], start: NOW, recordings: [r0] })
    const r1 = b.addRecordingDialog({
      parties: 1,
      start: NOW,
      mediatype: 'audio/wav',
      body: 'Ag',
      recordingSet: set,
    })
    assert.throws(() => b.addRecordingSet({ parties: [0], start: NOW, recordings: [r0] }), {
      message: /already belongs/,
    })
    const v = b.build()
    assert.deepEqual(v.dialog?.[set]?.recordings, [r0, r1])
    assert.equal(v.dialog?.[r1]?.recording_set, set)
  })
})

describe('VconBuilder: no shared or mutated state', () => {
  test('inputs are copied, never mutated; the result is deep-frozen; the builder stays usable', () => {
    const party = deepFreeze({ name: 'Ann', civicaddress: { country: 'US' } }, 10)
    const body = { nested: { list: [1, 2] } }
    const b = new VconBuilder({ now })
    b.addParty(party)
    const options = deepFreeze(
      {
        parties: [0],
        start: '2025-01-01T00:00:00Z',
        body: 'hi',
        partyHistory: [{ party: 0, time: NOW, event: 'join' }],
      },
      10,
    )
    b.addTextDialog(options as Parameters<VconBuilder['addTextDialog']>[0])
    b.addAnalysis({ type: 'report', vendor: 'v', body })
    const first = b.build()
    body.nested.list.push(3) // changing the caller's object afterwards does not reach the vCon
    assert.deepEqual(first.analysis?.[0]?.body, { nested: { list: [1, 2] } })
    const civic = first.parties?.[0]?.civicaddress
    const nested = (first.analysis?.[0]?.body as { nested?: object } | undefined)?.nested
    assert.ok(civic !== undefined && nested !== undefined)
    assert.ok(Object.isFrozen(first) && Object.isFrozen(civic) && Object.isFrozen(nested))
    assert.throws(() => {
      ;(first.parties as unknown[]).push({})
    }, TypeError)
    b.addParty({ name: 'Ben' })
    const second = b.build()
    assert.equal(first.parties?.length, 1)
    assert.equal(second.parties?.length, 2)
    assert.equal(second.uuid, first.uuid)
    assert.notEqual(second.parties?.[0], first.parties?.[0])
  })

  test('non-JSON values are refused with the field named', () => {
    const b = new VconBuilder({ now })
    b.addParty({})
    assert.throws(() => b.addAnalysis({ type: 't', vendor: 'v', body: { when: new Date() } }), {
      code: 'VCON_BAD_ARGUMENT',
      message: /addAnalysis\.body\/when/,
    })
    assert.throws(
      () => b.addAnalysis({ type: 't', vendor: 'v', body: { n: Number.POSITIVE_INFINITY } }),
      {
        message: /Infinity/,
      },
    )
  })
})

describe('VconBuilder.fromVcon and amend', () => {
  test('amend() reproduces the draft example ab_call_ext_rec_amended.vcon', () => {
    const prior = readCorpus('spec-examples/ab_call_ext_rec.vcon')
    const expected = readCorpus('spec-examples/ab_call_ext_rec_amended.vcon')
    const b = VconBuilder.amend(prior, { domain: 'example.com', now })
    const index = b.addTextDialog({
      parties: [1, 0],
      start: prior.dialog?.[0]?.start as string,
      mediatype: 'text/plain',
      body: 'Good day!',
    })
    assert.equal(index, 1)
    const v = b.build()
    assert.deepEqual(v.amended, expected.amended)
    assert.deepEqual(v.parties, expected.parties)
    assert.deepEqual(v.dialog, expected.dialog)
    assert.notEqual(v.uuid, prior.uuid)
    assert.equal(v.created_at, NOW.toISOString())
    assert.deepEqual(prior, readCorpus('spec-examples/ab_call_ext_rec.vcon')) // input untouched
  })

  test('fromVcon drops the empty redacted {} and group [] of the email examples (notes §g.17, §g.18)', () => {
    const email = readCorpus('spec-examples/b_email_acct_prob_image.vcon')
    assert.deepEqual([email.redacted, email.group], [{}, []])
    const v = VconBuilder.fromVcon(email).build()
    assert.equal('redacted' in v || 'group' in v, false)
    assert.equal(v.uuid, email.uuid)
    assert.deepEqual(v.dialog, email.dialog)
    assert.deepEqual(v.parties, email.parties)
  })

  test('fromVcon keeps identity and extension fields, appends, and sets updated_at on change', () => {
    const start = new VconBuilder({ domain: 'example.com', now })
    start.addParty({ name: 'A', x_custom: 1 } as never)
    const original = { ...start.build(), x_top: { keep: true } } as Vcon
    const copy = VconBuilder.fromVcon(original, { now: () => new Date('2025-04-01T00:00:00Z') })
    const unchanged = copy.build()
    assert.deepEqual(unchanged, original)
    copy.addParty({ name: 'B' })
    const changed = copy.build()
    assert.equal(changed.uuid, original.uuid)
    assert.equal(changed.created_at, original.created_at)
    assert.equal(changed.updated_at, '2025-04-01T00:00:00.000Z')
    assert.deepEqual(changed.x_top, { keep: true })
    assert.deepEqual(changed.parties, [{ name: 'A', x_custom: 1 }, { name: 'B' }])
  })
})
