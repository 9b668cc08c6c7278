/**
 * @module The app and helpers of the subject-rights tests: runs a scenario against the real app (API, workers,
 * embedded ledger) on SQLite and on PostgreSQL, seeded with subject-vcons.ts (under CI=true an unreachable
 * PostgreSQL fails instead of skipping), and reads the access answer.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type TestContext, test } from 'node:test'
import {
  dropSchema,
  POSTGRES_TEST_URL,
  postgresUnreachable,
  randomSchema,
} from './postgres-test.js'
import { type LedgerApp, ledgerAppTokens, startLedgerApp } from './start-ledger-app.js'
import { type SubjectVcons, subjectVcons } from './subject-vcons.js'

export interface Match {
  pointer: string
  kind: string
  linkedTo?: string
  relation?: string
}
export interface Found {
  identifier: { kind: string; value: string }
  vcons: { uuid: string; form: string; matches: Match[]; vcon?: unknown }[]
  truncated: boolean
  notes: string[]
}

/** GET /v1/privacy/subjects/vcons, checked to be a 200 that no cache keeps. */
export async function found(app: LedgerApp, identifier: string, extra = ''): Promise<Found> {
  const res = await app.fetch(
    `/v1/privacy/subjects/vcons?identifier=${encodeURIComponent(identifier)}${extra}`,
  )
  assert.equal(res.status, 200, await res.clone().text())
  assert.equal(res.headers.get('cache-control'), 'no-store')
  return (await res.json()) as Found
}

/** uuid -> its matches, for exact comparisons. */
export function byUuid(answer: Found): Record<string, Match[]> {
  return Object.fromEntries(answer.vcons.map((v) => [v.uuid, v.matches]))
}

async function seed(app: LedgerApp, v: SubjectVcons): Promise<void> {
  for (const [uuid, body] of v.bodies) {
    const res = await app.fetch('/v1/vcons', {
      method: 'POST',
      headers: { 'content-type': 'application/vcon+json' },
      body,
    })
    assert.equal(res.status, 201, `${uuid}: ${await res.text()}`)
  }
}

export interface SubjectRun {
  readonly t: TestContext
  readonly app: LedgerApp
  readonly v: SubjectVcons
  readonly readToken: string
}

/** Registers `title` on SQLite and on PostgreSQL; each run gets a fresh app seeded with the subject's vCons. */
export async function onEachBackend(
  title: string,
  scenario: (run: SubjectRun) => Promise<void>,
): Promise<void> {
  const run = async (t: TestContext, schema?: string) => {
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-subject-'))
    const tokens = ledgerAppTokens()
    const app = await startLedgerApp({
      dataDir: dir,
      tokens,
      ...(schema === undefined
        ? {}
        : {
            configure: (c) => ({
              ...c,
              databaseUrl: POSTGRES_TEST_URL,
              postgres: { ...c.postgres, schema, poolSize: 4 },
            }),
          }),
    })
    try {
      const v = subjectVcons()
      await seed(app, v)
      await scenario({ t, app, v, readToken: tokens.read })
    } finally {
      await app.stop()
      await rm(dir, { recursive: true, force: true })
    }
  }
  test(`${title} on SQLite`, (t) => run(t))
  const down = await postgresUnreachable()
  if (down !== undefined) {
    const message = `PostgreSQL at ${POSTGRES_TEST_URL} is not reachable (${down})`
    if (process.env.CI === 'true') {
      test(`${title} on PostgreSQL: PostgreSQL must be reachable in CI`, () => assert.fail(message))
    } else test.skip(`${title} on PostgreSQL: skipped, ${message}`)
    return
  }
  test(`${title} on PostgreSQL`, async (t) => {
    const schema = randomSchema('vck_subject')
    try {
      await run(t, schema)
    } finally {
      await dropSchema(schema)
    }
  })
}
