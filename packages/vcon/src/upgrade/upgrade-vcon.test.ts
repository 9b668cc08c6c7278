import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import {
  inconsistentBodies,
  legacyNamesLeft,
  parentPointer,
  resolvePointer,
} from '../../test/support/upgrade-checks.js'
import { isVconError } from '../errors/vcon-error.js'
import { ISSUE_CODES } from '../validate/issue-codes.js'
import { upgradeVcon } from './upgrade-vcon.js'

const UUID = '019f15a6-a752-826f-b9a2-279e0d16bc46'

/** A legacy vCon with one of almost everything the upgrader repairs. */
function kitchenSink(): Record<string, unknown> {
  return {
    vcon: '0.0.1',
    uuid: UUID,
    created_at: '2024-01-01T00:00:00',
    subject: null,
    redacted: {},
    appended: null,
    group: [],
    must_support: ['x'],
    parties: [{ name: 'A', role: 'agent' }, { name: 'B' }],
    dialog: [
      {
        type: 'recording',
        start: '2024-01-01T00:00:00',
        parties: [0, 1],
        mimetype: 'audio/x-wav',
        body: Buffer.from([0xfb, 0xff, 0x01]).toString('base64'),
        alg: 'SHA-512',
        signature: 'abc123',
        session_id: 'abc;remote=def',
        party_history: [{ party: 0, time: '2024-01-01T00:00:01', event: 'dtmfdown', dtmf: '1' }],
        meta: { nested: { deep: [1, 2, 3] } },
      },
      { type: 'transfer', 'transfer-target': 1, 'target-dialog': -1, original: 0 },
    ],
    attachments: [{ type: 'tags', body: { a: 1 }, encoding: 'none', schema_version: '1' }],
    analysis: [{ type: 'summary', vendor: 'v', mimetype: 'text/plain', body: 'ok' }],
  }
}

describe('upgradeVcon', () => {
  test('upgrades a kitchen-sink legacy vCon completely and idempotently', () => {
    const r = upgradeVcon(kitchenSink())
    assert.equal(r.from, '0.0.1')
    assert.equal(r.vcon.vcon, '0.4.0')
    assert.deepEqual(legacyNamesLeft(r.vcon), [])
    assert.deepEqual(inconsistentBodies(r.vcon), [])
    assert.ok(r.issues.every((i) => i.severity === 'warning'))
    const again = upgradeVcon(r.vcon)
    assert.deepEqual(again.vcon, r.vcon)
    assert.deepEqual(again.issues, [])
    assert.equal(again.from, '0.4.0')
  })

  test('never mutates its input and shares untouched subtrees', () => {
    const input = kitchenSink()
    const before = structuredClone(input)
    const r = upgradeVcon(input)
    assert.deepEqual(input, before)
    const inDialog = (input.dialog as Record<string, unknown>[])[0]
    const outDialog = (r.vcon.dialog as Record<string, unknown>[])[0]
    assert.notEqual(outDialog, inDialog)
    assert.equal(outDialog?.meta, inDialog?.meta)
    assert.equal(r.vcon.parties, input.parties)
  })

  test('rejects a value that is not an object with VCON_BAD_ARGUMENT', () => {
    for (const bad of [null, [], 'x', 1]) {
      assert.throws(
        () => upgradeVcon(bad as unknown as Record<string, unknown>),
        (e: unknown) => isVconError(e) && e.code === 'VCON_BAD_ARGUMENT',
      )
    }
  })

  test('__proto__ and constructor keys survive as own data properties and pollute nothing', () => {
    const text = `{
      "vcon": "0.0.1", "uuid": "${UUID}",
      "__proto__": { "polluted": "top" },
      "constructor": { "prototype": { "polluted": "ctor" } },
      "redacted": {},
      "dialog": [{ "type": "text", "mimetype": "text/plain", "body": "x",
                   "__proto__": { "polluted": "dialog" }, "constructor": "c" }],
      "attachments": [{ "type": "tags", "body": [], "__proto__": { "isAdmin": true } }]
    }`
    const input = JSON.parse(text) as Record<string, unknown>
    const r = upgradeVcon(input)
    const plain: Record<string, unknown> = {}
    assert.equal(plain.polluted, undefined)
    assert.equal(plain.isAdmin, undefined)
    assert.equal(Object.getPrototypeOf(r.vcon), Object.prototype)
    assert.deepEqual(Object.getOwnPropertyDescriptor(r.vcon, '__proto__')?.value, {
      polluted: 'top',
    })
    assert.deepEqual(r.vcon.constructor, { prototype: { polluted: 'ctor' } })
    const dialog = (r.vcon.dialog as Record<string, unknown>[])[0] ?? {}
    assert.equal(Object.getPrototypeOf(dialog), Object.prototype)
    assert.deepEqual(Object.getOwnPropertyDescriptor(dialog, '__proto__')?.value, {
      polluted: 'dialog',
    })
    assert.equal(dialog.mediatype, 'text/plain')
    assert.equal(Object.hasOwn(dialog, 'constructor'), true)
    const attachment = (r.vcon.attachments as Record<string, unknown>[])[0] ?? {}
    assert.equal(attachment.purpose, 'tags')
    assert.equal(Object.getPrototypeOf(attachment), Object.prototype)
    assert.deepEqual(Object.getOwnPropertyDescriptor(attachment, '__proto__')?.value, {
      isAdmin: true,
    })
    assert.deepEqual(upgradeVcon(r.vcon).issues, [])
  })
})

// ---- property tests over generated legacy-ish vCons (random subsets of the legacy fields) ----

const digest = fc.uint8Array({ minLength: 64, maxLength: 64 }).map((d) => Buffer.from(d))
const hashPair = fc.tuple(digest, fc.nat(3)).map(([d, kind]): Record<string, string> => {
  if (kind === 0) return { alg: 'SHA-512', signature: d.toString('base64url') }
  if (kind === 1) return { alg: 'sha512', signature: d.toString('base64') }
  if (kind === 2) return { alg: 'SHA-512', signature: d.toString('hex') }
  return { alg: 'SHA-256', signature: 'abc123' }
})
const maybeHash = fc.option(hashPair, { nil: undefined }).map((h) => h ?? {})
const date = fc.constantFrom(
  '2024-03-16T16:09:20.701906',
  '2024-03-16T16:09:20Z',
  '2024-03-16 16:09',
  '2024-03-16T16:09:20-05:00',
  'not a date',
)
const extraKey = fc.constantFrom('__proto__', 'constructor', 'toString', 'role', 'meta', 'x_vendor')
const extras = fc.array(fc.tuple(extraKey, fc.jsonValue({ maxDepth: 2 })), { maxLength: 2 })
const base64Body = fc
  .uint8Array({ minLength: 1, maxLength: 30 })
  .map((b) => Buffer.from(b).toString('base64'))
const content = fc.oneof(
  fc.record({ body: fc.string(), encoding: fc.constant('none') }),
  fc.record({ body: fc.string() }),
  fc.record({ body: fc.jsonValue({ maxDepth: 2 }), encoding: fc.constantFrom('none', 'json') }),
  fc.record({ body: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ body: fc.string(), encoding: fc.constantFrom('json', 'JSON', 'None') }),
  base64Body.map((body) => ({ body, encoding: 'base64url', mediatype: 'audio/wav' })),
  base64Body.map((body) => ({ body, encoding: 'base64' })),
  base64Body.map((body) => ({ body, mimetype: 'audio/x-wav' })),
  base64Body.map((body) => ({ body, filename: 'a.mp3' })),
  fc.constant({ body: { protected: 'x' }, encoding: 'jwe' }),
  fc.constant({ url: 'https://example.com/a.wav' }),
  fc.constant({}),
)
const sessionId = fc.constantFrom<unknown>(
  'ab30317f1a784dc48ff824d0d3715d86;remote=47755a9de7794ba387653f2099600ef2',
  'ab30317f1a784dc48ff824d0d3715d86',
  '',
  null,
  [null, 'x', { local: 'a', remote: 'b' }],
  [[null], 'y'],
  { local: 'a', remote: 'b' },
)
const history = fc.record(
  {
    party: fc.nat(2),
    time: date,
    event: fc.constantFrom('dtmfdown', 'dtmfup', 'join', 'keydown'),
    dtmf: fc.oneof(fc.constantFrom('1', '#'), fc.nat(9)),
    button: fc.constant('2'),
  },
  { requiredKeys: ['party', 'event'] },
)

/** Merges generated parts into one object with own data properties (a `__proto__` extra stays a field). */
function merge(
  ...parts: (Record<string, unknown> | [string, unknown][])[]
): Record<string, unknown> {
  return Object.fromEntries(parts.flatMap((p) => (Array.isArray(p) ? p : Object.entries(p))))
}

const dialog = fc
  .tuple(
    fc.record(
      {
        type: fc.constantFrom('recording', 'text', 'transfer', 'video', 'incomplete'),
        start: date,
        mimetype: fc.constantFrom('text/plain', 'audio/x-wav'),
        mediatype: fc.constantFrom('text/plain', 'audio/wav'),
        'transfer-target': fc.nat(3),
        transfer_target: fc.nat(3),
        'target-dialog': fc.oneof(fc.nat(3), fc.constant(-1), fc.constant([0, -1])),
        original: fc.oneof(fc.nat(3), fc.constant(-1)),
        consultation: fc.constant([-1, 1]),
        session_id: sessionId,
        party_history: fc.array(history, { maxLength: 3 }),
      },
      { requiredKeys: [] },
    ),
    content,
    maybeHash,
    extras,
  )
  .map(([a, b, c, d]) => merge(a, b, c, d))

const attachment = fc
  .tuple(
    fc.record(
      {
        type: fc.constantFrom('tags', 'lawful_basis', 'note'),
        purpose: fc.constantFrom('lawful_basis', 'meeting'),
        schema_version: fc.constant('1'),
        schema: fc.constant('2'),
        start: date,
        mimetype: fc.constantFrom('application/pdf', 'text/plain'),
        mediatype: fc.constant('application/json'),
      },
      { requiredKeys: [] },
    ),
    content,
    maybeHash,
    extras,
  )
  .map(([a, b, c, d]) => merge(a, b, c, d))

const analysis = fc
  .tuple(
    fc.record(
      {
        type: fc.constantFrom('transcript', 'summary'),
        vendor: fc.constant('v'),
        schema_version: fc.constant('1'),
        schema: fc.constant('2'),
        mimetype: fc.constant('application/json'),
      },
      { requiredKeys: ['type'] },
    ),
    content,
    maybeHash,
    extras,
  )
  .map(([a, b, c, d]) => merge(a, b, c, d))

const names = fc.array(fc.constantFrom('a', 'b', 'c'), { maxLength: 3 })
const legacyVcon = fc
  .tuple(
    fc.record(
      {
        vcon: fc.constantFrom<unknown>('0.0.1', '0.0.2', '0.3.0', '0.4.0', '1.0', '', 7),
        uuid: fc.constant(UUID),
        created_at: date,
        updated_at: date,
        subject: fc.constantFrom(null, 'subject'),
        redacted: fc.oneof(
          fc.constantFrom<unknown>({}, null, {
            uuid: UUID,
            type: 'x',
            body: '{}',
            encoding: 'json',
          }),
          hashPair.map((h) => ({ uuid: UUID, type: 'PII', url: 'https://x/r', ...h })),
        ),
        appended: fc.oneof(
          fc.constantFrom<unknown>(null, {}, { uuid: UUID, body: '{}' }),
          hashPair.map((h) => ({ uuid: UUID, url: 'https://x/p', ...h })),
        ),
        amended: fc.constantFrom<unknown>({ uuid: UUID }, null, {}),
        group: fc.oneof(
          fc.constantFrom<unknown>([], null),
          hashPair.map((h) => [{ uuid: UUID, url: 'https://x/g', ...h }]),
        ),
        must_support: names,
        must_understand: names,
        critical: names,
        extensions: fc.constantFrom<unknown>(null, ['a']),
        parties: fc.array(
          extras.map((e) => merge(e)),
          { maxLength: 3 },
        ),
        dialog: fc.array(dialog, { maxLength: 4 }),
        attachments: fc.array(attachment, { maxLength: 3 }),
        analysis: fc.array(analysis, { maxLength: 3 }),
      },
      { requiredKeys: ['uuid'] },
    ),
    extras,
  )
  // Real inputs come from JSON.parse: plain prototypes, and "__proto__" as an own data property.
  .map(([a, b]) => JSON.parse(JSON.stringify(merge(a, b))) as Record<string, unknown>)

/** Names each version step removes, so that stripping them yields vCons of every source version. */
const NAMES_UP_TO: Readonly<Record<string, readonly string[]>> = {
  '0.0.1': ['mimetype', 'alg', 'signature'],
  '0.0.2': ['transfer-target', 'target-dialog'],
  '0.3.0': ['appended', 'must_support', 'must_understand', 'session_id'],
}

/** Removes the names of every version up to `newest` at the places the upgrader looks. */
function stripUpTo(vcon: Record<string, unknown>, newest: number): Record<string, unknown> {
  const names = Object.values(NAMES_UP_TO).slice(0, newest).flat()
  const clean = (v: unknown): unknown =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).filter(([k]) => !names.includes(k)))
      : v
  const entries = Object.entries(vcon)
    .filter(([k]) => !names.includes(k))
    .map(([k, v]): [string, unknown] => {
      if (['dialog', 'attachments', 'analysis', 'group'].includes(k) && Array.isArray(v)) {
        return [k, v.map(clean)]
      }
      return [k, ['redacted', 'amended'].includes(k) ? clean(v) : v]
    })
  return Object.fromEntries(entries)
}

/** Legacy vCons of every source version: 0 keeps everything (mostly 0.0.1), 3 keeps only 0.4.0 shapes. */
const anyVersionVcon = fc
  .tuple(legacyVcon, fc.nat(3))
  .map(([v, newest]) => (newest === 0 ? v : stripUpTo(v, newest)))

/** Codes whose pointer names a field that exists in the input (the others may name a field being added). */
const POINTS_AT_INPUT_FIELD = new Set([
  'renamed-field',
  'converted-hash',
  'converted-session-id',
  'assumed-utc',
  'dropped-empty',
  'repaired-body',
  'added-placeholder',
  'kept-inline-reference',
])

describe('upgradeVcon properties (fast-check)', () => {
  test('idempotent, non-mutating, complete, consistent, with pointers into the input', () => {
    const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort()
    fc.assert(
      fc.property(anyVersionVcon, (input) => {
        const before = structuredClone(input)
        const r = upgradeVcon(input)
        assert.deepEqual(input, before)
        assert.equal(r.vcon.vcon, '0.4.0')
        assert.deepEqual(legacyNamesLeft(r.vcon), [])
        assert.deepEqual(inconsistentBodies(r.vcon), [])
        for (const issue of r.issues) {
          assert.equal(issue.severity, 'warning')
          assert.ok(Object.hasOwn(ISSUE_CODES, issue.code), issue.code)
          assert.ok(resolvePointer(input, parentPointer(issue.pointer)), issue.pointer)
          if (POINTS_AT_INPUT_FIELD.has(issue.code)) {
            assert.ok(resolvePointer(input, issue.pointer), `${issue.code} ${issue.pointer}`)
          }
        }
        const again = upgradeVcon(r.vcon)
        assert.deepEqual(again.vcon, r.vcon)
        assert.deepEqual(again.issues, [])
        assert.equal(Object.getPrototypeOf(r.vcon), Object.prototype)
        assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames)
      }),
      { numRuns: 300 },
    )
  })
})
