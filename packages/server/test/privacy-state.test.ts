/**
 * The PrivacyState port's contract, on SQLite and on PostgreSQL (a real server; under CI=true an unreachable
 * PostgreSQL fails instead of skipping): restrictions by vCon and by party, withdrawals, skip records, and
 * forgetting a vCon or a party (erasure).
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { describe, test } from 'node:test'
import Database from 'better-sqlite3'
import type { PartyKey, PrivacyState } from '../src/ports/privacy-state.js'
import { createPostgresPrivacyState } from '../src/store/postgres/postgres-privacy-state.js'
import { createPostgresStore } from '../src/store/postgres/postgres-store.js'
import { createSqlitePrivacyState } from '../src/store/sqlite/sqlite-privacy-state.js'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './support/postgres-test.js'

interface Fixture {
  readonly state: PrivacyState
  cleanup(): Promise<void>
}

const alice: PartyKey = { kind: 'tel', value: '+15550100' }
const bob: PartyKey = { kind: 'mailto', value: 'bob@example.com' }
const now = () => new Date().toISOString()

function contract(name: string, open: () => Promise<Fixture>): void {
  const withState = (body: (state: PrivacyState) => Promise<void>) => async () => {
    const fixture = await open()
    try {
      await fixture.state.migrate()
      await fixture.state.migrate() // twice: migrations are idempotent
      await body(fixture.state)
    } finally {
      await fixture.cleanup()
    }
  }

  describe(`PrivacyState contract: ${name}`, () => {
    test(
      'restrictions cover their vCon or every vCon of their party, until removed',
      withState(async (state) => {
        const uuid = randomUUID()
        const other = randomUUID()
        await state.addRestriction({
          id: 'r1',
          target: { uuid },
          reason: 'objection',
          createdAt: now(),
        })
        await state.addRestriction({
          id: 'r2',
          target: { party: alice },
          reason: undefined,
          createdAt: now(),
        })
        assert.deepEqual(
          (await state.restrictionsFor(uuid, [])).map((r) => r.id),
          ['r1'],
        )
        assert.deepEqual(
          (await state.restrictionsFor(other, [bob])).map((r) => r.id),
          [],
        )
        assert.deepEqual(
          (await state.restrictionsFor(other, [bob, alice])).map((r) => r.id),
          ['r2'],
        )
        const listed = await state.listRestrictions()
        assert.deepEqual(
          listed.map((r) => r.target),
          [{ uuid }, { party: alice }],
        )
        assert.equal(listed[0]?.reason, 'objection')
        assert.equal(await state.removeRestriction('r2'), true)
        assert.equal(await state.removeRestriction('r2'), false)
        assert.deepEqual(await state.restrictionsFor(other, [alice]), [])
      }),
    )

    test(
      'withdrawals are found by any of the party keys given',
      withState(async (state) => {
        await state.addWithdrawal({
          id: 'w1',
          party: alice,
          purposes: ['genai', 'marketing'],
          reason: undefined,
          createdAt: now(),
        })
        assert.deepEqual(await state.withdrawalsFor([]), [])
        assert.deepEqual(await state.withdrawalsFor([bob]), [])
        const [found] = await state.withdrawalsFor([bob, alice])
        assert.deepEqual(found?.party, alice)
        assert.deepEqual(found?.purposes, ['genai', 'marketing'])
      }),
    )

    test(
      'skips come back in the order recorded; forgetting a vCon or a party removes what names it',
      withState(async (state) => {
        const uuid = randomUUID()
        const skip = (step: string, code: string) => ({
          vconUuid: uuid,
          chain: 'calls',
          step,
          purpose: code === 'restricted' ? undefined : 'analytics',
          party: code === 'restricted' ? undefined : 1,
          code,
          reason: `because ${code}`,
          at: now(),
        })
        await state.recordSkip(skip('summary', 'no-grant'))
        await state.recordSkip(skip('(egress)', 'restricted'))
        const skips = await state.skipsOf(uuid)
        assert.deepEqual(
          skips.map((s) => [s.step, s.code, s.purpose, s.party]),
          [
            ['summary', 'no-grant', 'analytics', 1],
            ['(egress)', 'restricted', undefined, undefined],
          ],
        )
        await state.addRestriction({
          id: 'r1',
          target: { uuid },
          reason: undefined,
          createdAt: now(),
        })
        await state.addRestriction({
          id: 'r2',
          target: { party: alice },
          reason: undefined,
          createdAt: now(),
        })
        await state.addWithdrawal({
          id: 'w1',
          party: alice,
          purposes: ['ai'],
          reason: undefined,
          createdAt: now(),
        })
        await state.forgetVcon(uuid)
        assert.deepEqual(await state.skipsOf(uuid), [])
        assert.deepEqual(
          (await state.listRestrictions()).map((r) => r.id),
          ['r2'],
        )
        await state.forgetParty(alice)
        assert.deepEqual(await state.listRestrictions(), [])
        assert.deepEqual(await state.withdrawalsFor([alice]), [])
      }),
    )
  })
}

contract('sqlite', async () => {
  const db = new Database(':memory:')
  return { state: createSqlitePrivacyState(db), cleanup: async () => void db.close() }
})

const down = await postgresUnreachable()
if (down !== undefined) {
  const message = `PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${down})`
  if (process.env.CI === 'true') {
    test('PrivacyState contract: postgres: PostgreSQL must be reachable in CI', () =>
      assert.fail(message))
  } else test.skip(`PrivacyState contract: postgres: skipped, ${message}`)
} else {
  contract('postgres', async () => {
    const schema = randomSchema('vck_privacy')
    const store = createPostgresStore({ url: POSTGRES_TEST_URL, schema, poolSize: 2 })
    await store.migrate()
    return {
      state: createPostgresPrivacyState(store),
      cleanup: async () => {
        await store.close()
        await dropSchema(schema)
      },
    }
  })
}
