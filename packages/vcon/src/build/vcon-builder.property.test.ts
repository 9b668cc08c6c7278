import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { draftSchemaErrors } from '../../test/support/draft-json-schema.js'
import { DISPOSITIONS } from '../model/vocabulary.js'
import { parseVcon } from '../parse/parse-vcon.js'
import { getTags } from '../read/tags.js'
import { serializeVcon } from '../serialize/serialize-vcon.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { VconBuilder } from './vcon-builder.js'

/** One step of a builder program. Indices are picked modulo what exists when the step runs. */
type Step =
  | { op: 'party'; party: { tel?: string; name?: string; mailto?: string; role?: string } }
  | { op: 'text'; pick: number; start: Date; body: string }
  | { op: 'recording-inline'; pick: number; start: Date; bytes: Uint8Array; duration?: number }
  | { op: 'recording-url'; pick: number; start: Date; path: string; digest: Uint8Array }
  | { op: 'incomplete'; pick: number; start: Date; disposition: number }
  | { op: 'placeholder' }
  | { op: 'transfer'; pick: number; start: Date }
  | { op: 'set'; pick: number; start: Date }
  | { op: 'analysis'; pick: number; type: string; body: unknown; bytes: boolean }
  | { op: 'attachment'; pick: number; purpose: string; body: unknown }
  | { op: 'tags'; pick: number; tags: Record<string, string> }

const date = fc.date({
  min: new Date('1990-01-01T00:00:00Z'),
  max: new Date('2090-01-01T00:00:00Z'),
  noInvalidDate: true,
})
const pick = fc.nat()
const text = fc.string({ maxLength: 20 })

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    op: fc.constant('party' as const),
    party: fc.record(
      {
        tel: fc.constant('+15551234567'),
        name: text,
        mailto: fc.emailAddress(),
        role: fc.constantFrom('agent', 'customer'),
      },
      { requiredKeys: [] },
    ),
  }),
  fc.record({
    op: fc.constant('text' as const),
    pick,
    start: date,
    body: fc.string({ maxLength: 40 }),
  }),
  fc.record(
    {
      op: fc.constant('recording-inline' as const),
      pick,
      start: date,
      bytes: fc.uint8Array({ maxLength: 48 }),
      duration: fc.double({ min: 0, max: 1e5, noNaN: true }),
    },
    { requiredKeys: ['op', 'pick', 'start', 'bytes'] },
  ),
  fc.record({
    op: fc.constant('recording-url' as const),
    pick,
    start: date,
    path: fc.webSegment(),
    digest: fc.uint8Array({ minLength: 64, maxLength: 64 }),
  }),
  fc.record({ op: fc.constant('incomplete' as const), pick, start: date, disposition: fc.nat() }),
  fc.constant({ op: 'placeholder' as const }),
  fc.record({ op: fc.constant('transfer' as const), pick, start: date }),
  fc.record({ op: fc.constant('set' as const), pick, start: date }),
  fc.record({
    op: fc.constant('analysis' as const),
    pick,
    type: fc.constantFrom('transcript', 'summary', 'sentiment', 'x-custom'),
    body: fc.jsonValue({ maxDepth: 3 }),
    bytes: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('attachment' as const),
    pick,
    purpose: fc.constantFrom('note', 'invoice', 'metadata'),
    body: fc.jsonValue({ maxDepth: 3 }),
  }),
  fc.record({
    op: fc.constant('tags' as const),
    pick,
    tags: fc.dictionary(
      fc.string({ minLength: 1, maxLength: 8 }).filter((k) => !k.includes(':')),
      fc.string({ maxLength: 12 }),
      { maxKeys: 4 },
    ),
  }),
)

const NOW = new Date('2026-01-02T03:04:05.678Z')

/** Runs a program; steps that need items that do not exist yet are skipped. Returns the builder and the tags set. */
function run(steps: readonly Step[]): { builder: VconBuilder; tags: Map<string, string> } {
  const b = new VconBuilder({ domain: 'prop.example', now: () => NOW })
  b.addParty({ name: 'first' })
  let parties = 1
  const types: string[] = [] // dialog types as added ('' for placeholders)
  const inSet = new Set<number>()
  let attachments = 0
  const tags = new Map<string, string>()
  const of = (n: number, count: number) => n % count
  const two = (n: number) => (parties > 1 ? [of(n, parties), of(n + 1, parties)] : [0])
  for (const s of steps) {
    switch (s.op) {
      case 'party':
        b.addParty(s.party)
        parties++
        break
      case 'text':
        b.addTextDialog({ parties: two(s.pick), start: s.start, body: s.body })
        types.push('text')
        break
      case 'recording-inline':
        b.addRecordingDialog({
          parties: two(s.pick).map((p) => [p]),
          start: s.start,
          mediatype: 'audio/wav',
          body: s.bytes,
          ...(s.duration === undefined ? {} : { duration: s.duration }),
        })
        types.push('recording')
        break
      case 'recording-url':
        b.addRecordingDialog({
          parties: of(s.pick, parties),
          start: s.start,
          mediatype: 'audio/mpeg',
          url: `https://media.example/${s.path}`,
          contentHash: `sha512-${Buffer.from(s.digest).toString('base64url')}`,
        })
        types.push('recording')
        break
      case 'incomplete':
        b.addIncompleteDialog({
          parties: two(s.pick),
          start: s.start,
          disposition: DISPOSITIONS[s.disposition % DISPOSITIONS.length] ?? 'busy',
        })
        types.push('incomplete')
        break
      case 'placeholder':
        b.addPlaceholderDialog()
        types.push('')
        break
      case 'transfer': {
        const originals = types.flatMap((t, i) =>
          t === 'text' || t === 'recording' || t === '' ? [i] : [],
        )
        const targets = types.flatMap((t, i) =>
          ['text', 'recording', 'incomplete', ''].includes(t) ? [i] : [],
        )
        if (originals.length === 0 || targets.length === 0) break
        b.addTransferDialog({
          start: s.start,
          transferee: of(s.pick, parties),
          transferor: of(s.pick + 1, parties),
          transferTarget: [of(s.pick + 2, parties)],
          original: originals[of(s.pick, originals.length)] as number,
          targetDialog: targets[of(s.pick + 1, targets.length)] as number,
        })
        types.push('transfer')
        break
      }
      case 'set': {
        const free = types.flatMap((t, i) => (t === 'recording' && !inSet.has(i) ? [i] : []))
        if (free.length === 0) break
        const members = free.slice(0, 1 + of(s.pick, free.length))
        b.addRecordingSet({ parties: two(s.pick), start: s.start, recordings: members })
        for (const m of members) inSet.add(m)
        types.push('recording-set')
        break
      }
      case 'analysis':
        b.addAnalysis({
          type: s.type,
          vendor: 'prop-vendor',
          ...(types.length > 0 ? { dialog: of(s.pick, types.length) } : {}),
          body: s.bytes ? Buffer.from(JSON.stringify(s.body)) : s.body,
        })
        break
      case 'attachment':
        if (types.length === 0) break
        b.addAttachment({
          purpose: s.purpose,
          party: of(s.pick, parties),
          dialog: of(s.pick, types.length),
          body: s.body,
        })
        attachments++
        break
      case 'tags':
        if (types.length === 0) break
        b.addTags(s.tags, { party: of(s.pick, parties), dialog: of(s.pick, types.length) })
        for (const [k, v] of Object.entries(s.tags)) tags.set(k, v)
        break
    }
  }
  assert.ok(attachments >= 0)
  return { builder: b, tags }
}

describe('VconBuilder property', () => {
  test('any builder program: strict-valid, schema-valid except placeholders, build → serialise → parse gives the same vCon', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 25 }), (steps) => {
        const { builder, tags } = run(steps)
        const built = builder.build()
        assert.equal(validateVcon(built, { mode: 'strict' }).valid, true)
        // The informative schema requires type and start on every dialog, so only `{}` placeholders may fail it.
        const placeholders = new Set(
          (built.dialog ?? []).flatMap((d, i) =>
            Object.keys(d).length === 0 ? [`/dialog/${i}`] : [],
          ),
        )
        for (const error of draftSchemaErrors(built)) {
          assert.ok(placeholders.has(error.split(' ')[0] as string), `schema: ${error}`)
        }
        for (const indent of [undefined, 2]) {
          const parsed = parseVcon(serializeVcon(built, indent === undefined ? {} : { indent }), {
            mode: 'strict',
          })
          assert.equal(parsed.form, 'unsigned')
          if (parsed.form === 'unsigned') assert.deepEqual(parsed.vcon, built)
        }
        assert.deepEqual(getTags(built), Object.fromEntries(tags))
      }),
      { numRuns: 150 },
    )
  })
})
