import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { lawfulBasisContentHash } from '../extensions/lawful-basis-hash.js'
import { isPermitted, type PermissionQuery } from './is-permitted.js'
import { lawfulBasisAttachment } from './lawful-basis-attachment.js'
import { STANDARD_PURPOSES, STANDARD_VOCABULARY } from './purposes.js'

// Monotonicity of the permission check: whatever the records say, adding a denial can only restrict, removing
// one can only relax, and a record about one party never changes the answer about another.

const T = Date.parse('2025-06-01T12:00:00Z')
const HOUR = 3_600_000
const RUNS = { numRuns: 200 }

const NAMES = STANDARD_PURPOSES.map((p) => p.name)
/** Standard purposes plus names outside the vocabulary, which grants may carry and queries must not match. */
const purpose = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...NAMES) },
  fc.constantFrom('publication', 'x'),
)
const party = fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined })
/** Offsets from T that hit the 5-minute skew boundaries often, and hours or days away otherwise. */
const offset = fc.oneof(
  fc.constantFrom(-300_001, -300_000, -1, 0, 1, 300_000, 300_001),
  fc.integer({ min: -72 * HOUR, max: 72 * HOUR }),
)
const iso = (ms: number) => new Date(T + ms).toISOString()

const grant = fc.record({
  purpose,
  granted: fc.boolean(),
  grantedAt: fc.oneof(offset.map(iso), fc.constant(undefined), fc.constant('soon')),
  conditions: fc.array(fc.constantFrom('internal only', 'no export'), { maxLength: 2 }),
})

/** Any record: sealed, unsealed or tampered lawful_basis, or a legacy consent-00 attachment. */
const anyRecord = fc
  .record({
    kind: fc.constantFrom('sealed', 'unsealed', 'tampered', 'consent-00'),
    party,
    expiration: fc.oneof(
      offset.map(iso),
      fc.constant(null),
      fc.constant(undefined),
      fc.constant('never'),
    ),
    grants: fc.array(grant, { maxLength: 4 }),
  })
  .map(({ kind, party: p, expiration, grants }) => {
    const scope = p === undefined ? {} : { party: p }
    if (kind === 'consent-00') {
      const consents = grants.map((g) => ({
        purpose: g.purpose,
        status: g.granted ? 'granted' : 'revoked',
        ...(g.grantedAt === undefined ? {} : { timestamp: g.grantedAt }),
      }))
      return {
        type: 'consent',
        ...scope,
        ...(expiration === undefined ? {} : { expiration }),
        consents,
      }
    }
    const body: Record<string, unknown> = {
      lawful_basis: 'consent',
      ...(expiration === undefined ? {} : { expiration }),
      purpose_grants: grants.map((g) => ({
        purpose: g.purpose,
        granted: g.granted,
        ...(g.grantedAt === undefined ? {} : { granted_at: g.grantedAt }),
        ...(g.conditions.length === 0 ? {} : { conditions: g.conditions }),
      })),
    }
    if (kind !== 'unsealed') body.content_hash = lawfulBasisContentHash(body)
    if (kind === 'tampered') body.lawful_basis = 'contract'
    return { type: 'lawful_basis', ...scope, encoding: 'json', body }
  })

/** A well-formed denial, as withdrawals and producers write them (sealed or not, current or expired). */
const denial = fc
  .record({
    party,
    purposes: fc.uniqueArray(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }),
    at: offset,
    expiration: fc.option(offset, { nil: null }),
    sealed: fc.boolean(),
  })
  .map(({ party: p, purposes, at, expiration, sealed }) => {
    const a = lawfulBasisAttachment({
      basis: 'consent',
      ...(p === undefined ? {} : { party: p }),
      expiration: expiration === null ? null : new Date(T + expiration),
      at: new Date(T + at),
      grants: purposes.map((name) => ({ purpose: name, granted: false })),
    })
    if (sealed) return a
    const { content_hash: _, ...body } = a.body as Record<string, unknown>
    return { ...a, body }
  })

const query = fc
  .record({ purpose: fc.constantFrom(...NAMES), party, at: offset })
  .map(
    ({ purpose: name, party: p, at }): PermissionQuery =>
      p === undefined ? { purpose: name, at: T + at } : { purpose: name, party: p, at: T + at },
  )

/** How a grant of the queried purpose is written: scope, expiry and time of grant near the skew boundaries. */
const grantShape = fc.record({
  scoped: fc.boolean(),
  expiration: fc.option(offset, { nil: null }),
  grantedAt: fc.option(offset, { nil: undefined }),
})

/** A sealed record granting the query's purpose, so that permitted answers are common enough to test. */
function grantFor(
  q: PermissionQuery,
  shape: typeof grantShape extends fc.Arbitrary<infer S> ? S : never,
) {
  return lawfulBasisAttachment({
    basis: 'consent',
    ...(shape.scoped && q.party !== undefined ? { party: q.party } : {}),
    expiration: shape.expiration === null ? null : new Date(T + shape.expiration),
    at: new Date(T - HOUR),
    grants: [
      {
        purpose: q.purpose,
        granted: true,
        ...(shape.grantedAt === undefined ? {} : { granted_at: new Date(T + shape.grantedAt) }),
        conditions: ['honour me'],
      },
    ],
  })
}

const vconOf = (attachments: readonly unknown[]) => ({
  uuid: '018e1a2b-3c4d-8e5f-9a0b-1c2d3e4f5a6b',
  attachments,
})
const records = fc.array(anyRecord, { maxLength: 5 })

describe('isPermitted: properties', () => {
  test('appending a denial never turns "not permitted" into permitted, nor "denied" into anything else', () => {
    fc.assert(
      fc.property(records, denial, query, (list, d, q) => {
        const before = isPermitted(vconOf(list), q)
        const after = isPermitted(vconOf([...list, d]), q)
        if (!before.permitted) assert.equal(after.permitted, false)
        if (before.code === 'denied') assert.equal(after.code, 'denied')
        if (before.code === 'hash-mismatch') assert.equal(after.code, 'hash-mismatch')
      }),
      RUNS,
    )
  })

  test('an applicable denial of the purpose or a broader one always refuses', () => {
    fc.assert(
      fc.property(records, denial, query, (list, d, q) => {
        const applies = d.party === undefined || q.party === undefined || d.party === q.party
        const lineage = STANDARD_VOCABULARY.lineage(q.purpose)
        const purposes = (d.body as { purpose_grants: { purpose: string }[] }).purpose_grants.map(
          (g) => g.purpose,
        )
        fc.pre(applies && purposes.some((p) => lineage.includes(p)))
        const after = isPermitted(vconOf([...list, d]), q)
        assert.equal(after.permitted, false)
        assert.ok(after.code === 'denied' || after.code === 'hash-mismatch', after.code)
      }),
      RUNS,
    )
  })

  test('removing a denial never takes a permission away', () => {
    fc.assert(
      fc.property(records, denial, fc.nat(), query, grantShape, (list, d, where, q, shape) => {
        const granted = [...list, grantFor(q, shape)]
        const i = where % (granted.length + 1)
        const withDenial = [...granted.slice(0, i), d, ...granted.slice(i)]
        const decision = isPermitted(vconOf(withDenial), q)
        fc.pre(decision.permitted)
        const without = isPermitted(vconOf(granted), q)
        assert.equal(without.permitted, true)
        assert.deepEqual([...without.conditions].sort(), [...decision.conditions].sort())
      }),
      RUNS,
    )
  })

  test('a record about another party changes nothing', () => {
    fc.assert(
      fc.property(
        records,
        anyRecord,
        query,
        fc.integer({ min: 0, max: 2 }),
        (list, r, q, other) => {
          fc.pre(q.party !== undefined && q.party !== other)
          const before = isPermitted(vconOf(list), q)
          const after = isPermitted(vconOf([...list, { ...r, party: other }]), q)
          assert.deepEqual(after, before)
        },
      ),
      RUNS,
    )
  })

  test('a party’s denial also refuses the vCon as a whole', () => {
    fc.assert(
      fc.property(records, query, (list, q) => {
        fc.pre(q.party !== undefined)
        const forParty = isPermitted(vconOf(list), q)
        fc.pre(forParty.code === 'denied' || forParty.code === 'hash-mismatch')
        const whole = isPermitted(vconOf(list), {
          purpose: q.purpose,
          ...(q.at === undefined ? {} : { at: q.at }),
        })
        assert.equal(whole.permitted, false)
      }),
      RUNS,
    )
  })

  test('a larger clock skew never refuses what a smaller one permits', () => {
    fc.assert(
      fc.property(
        records,
        query,
        grantShape,
        fc.nat(HOUR),
        fc.nat(HOUR),
        (list, q, shape, a, b) => {
          const vcon = vconOf([...list, grantFor(q, shape)])
          const [small, large] = a <= b ? [a, b] : [b, a]
          const strict = isPermitted(vcon, q, { skewMs: small })
          if (strict.permitted)
            assert.equal(isPermitted(vcon, q, { skewMs: large }).permitted, true)
        },
      ),
      RUNS,
    )
  })
})
