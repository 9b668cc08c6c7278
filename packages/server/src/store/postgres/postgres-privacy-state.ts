/**
 * @module The PrivacyState on PostgreSQL: three tables in the Store's schema, under their own migration scope.
 * The same rows as the SQLite adapter; party keys are `kind:value` text (party-key.ts).
 */
import type pg from 'pg'
import type { PrivacyState } from '../../ports/privacy-state.js'
import { partyKeyText } from '../../privacy/party-key.js'
import {
  type ExpiryRow,
  type RestrictionRow,
  type SkipRow,
  toExpiry,
  toRestriction,
  toSkip,
  toWithdrawal,
  type WithdrawalRow,
} from '../privacy-rows.js'
import { type PostgresMigration, quoteIdent, runPostgresMigrations } from './migrations.js'
import { guardPg, inTransaction } from './pg-errors.js'

const PRIVACY_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'restrictions, withdrawals and skipped steps',
    sql: (s) => `
CREATE TABLE ${s}.privacy_restrictions (
  id text PRIMARY KEY,
  vcon_uuid text,
  party text,
  reason text,
  created_at text NOT NULL,
  CHECK ((vcon_uuid IS NULL) <> (party IS NULL))
);
CREATE INDEX privacy_restrictions_by_vcon ON ${s}.privacy_restrictions (vcon_uuid);
CREATE INDEX privacy_restrictions_by_party ON ${s}.privacy_restrictions (party);
CREATE TABLE ${s}.privacy_withdrawals (
  id text PRIMARY KEY,
  party text NOT NULL,
  purposes text[] NOT NULL,
  reason text,
  created_at text NOT NULL
);
CREATE INDEX privacy_withdrawals_by_party ON ${s}.privacy_withdrawals (party);
CREATE TABLE ${s}.privacy_skips (
  seq bigserial PRIMARY KEY,
  vcon_uuid text NOT NULL,
  chain text NOT NULL,
  step text NOT NULL,
  purpose text,
  party integer,
  code text NOT NULL,
  reason text NOT NULL,
  at text NOT NULL
);
CREATE INDEX privacy_skips_by_vcon ON ${s}.privacy_skips (vcon_uuid, seq);`,
  },
  {
    version: 2,
    name: 'consent expiries',
    sql: (s) => `
CREATE TABLE ${s}.privacy_expiries (
  vcon_uuid text NOT NULL,
  attachment integer NOT NULL,
  expires_at text NOT NULL,
  purposes text[] NOT NULL,
  PRIMARY KEY (vcon_uuid, attachment)
);
CREATE INDEX privacy_expiries_by_time ON ${s}.privacy_expiries (expires_at);`,
  },
]

/** A PrivacyState over the pool and schema of a PostgreSQL Store (`createPostgresStore(...)`). */
export function createPostgresPrivacyState(store: {
  readonly pool: pg.Pool
  readonly schema: string
}): PrivacyState {
  const { pool } = store
  const s = quoteIdent(store.schema)
  const query = <R extends pg.QueryResultRow>(sql: string, values: unknown[] = []) =>
    guardPg(() => pool.query<R>(sql, values))
  return {
    kind: 'postgres',
    migrate: async () => {
      await guardPg(() => runPostgresMigrations(pool, store.schema, 'privacy', PRIVACY_MIGRATIONS))
    },
    addRestriction: async (r) => {
      await query(
        `INSERT INTO ${s}.privacy_restrictions (id, vcon_uuid, party, reason, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [
          r.id,
          'uuid' in r.target ? r.target.uuid : null,
          'party' in r.target ? partyKeyText(r.target.party) : null,
          r.reason ?? null,
          r.createdAt,
        ],
      )
    },
    removeRestriction: async (id) =>
      ((await query(`DELETE FROM ${s}.privacy_restrictions WHERE id = $1`, [id])).rowCount ?? 0) >
      0,
    listRestrictions: async () =>
      (
        await query<RestrictionRow>(
          `SELECT * FROM ${s}.privacy_restrictions ORDER BY created_at, id`,
        )
      ).rows.map(toRestriction),
    restrictionsFor: async (uuid, parties) =>
      (
        await query<RestrictionRow>(
          `SELECT * FROM ${s}.privacy_restrictions WHERE vcon_uuid = $1 OR party = ANY($2::text[]) ORDER BY created_at, id`,
          [uuid, parties.map(partyKeyText)],
        )
      ).rows.map(toRestriction),
    addWithdrawal: async (w) => {
      await query(
        `INSERT INTO ${s}.privacy_withdrawals (id, party, purposes, reason, created_at) VALUES ($1, $2, $3, $4, $5)`,
        [w.id, partyKeyText(w.party), [...w.purposes], w.reason ?? null, w.createdAt],
      )
    },
    withdrawalsFor: async (parties) =>
      parties.length === 0
        ? []
        : (
            await query<WithdrawalRow>(
              `SELECT * FROM ${s}.privacy_withdrawals WHERE party = ANY($1::text[]) ORDER BY created_at, id`,
              [parties.map(partyKeyText)],
            )
          ).rows.map(toWithdrawal),
    recordSkip: async (k) => {
      await query(
        `INSERT INTO ${s}.privacy_skips (vcon_uuid, chain, step, purpose, party, code, reason, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [k.vconUuid, k.chain, k.step, k.purpose ?? null, k.party ?? null, k.code, k.reason, k.at],
      )
    },
    skipsOf: async (uuid) =>
      (
        await query<SkipRow>(`SELECT * FROM ${s}.privacy_skips WHERE vcon_uuid = $1 ORDER BY seq`, [
          uuid,
        ])
      ).rows.map(toSkip),
    noteExpiries: async (expiries) => {
      if (expiries.length === 0) return
      await inTransaction(pool, async (client) => {
        for (const e of expiries) {
          await client.query(
            `INSERT INTO ${s}.privacy_expiries (vcon_uuid, attachment, expires_at, purposes) VALUES ($1, $2, $3, $4)
             ON CONFLICT (vcon_uuid, attachment) DO UPDATE SET expires_at = excluded.expires_at, purposes = excluded.purposes`,
            [e.vconUuid, e.attachment, e.expiresAt, [...e.purposes]],
          )
        }
      })
    },
    dueExpiries: async (at, limit) =>
      (
        await query<ExpiryRow>(
          `SELECT * FROM ${s}.privacy_expiries WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2`,
          [at, limit],
        )
      ).rows.map(toExpiry),
    clearExpiry: async (uuid, attachment) => {
      await query(`DELETE FROM ${s}.privacy_expiries WHERE vcon_uuid = $1 AND attachment = $2`, [
        uuid,
        attachment,
      ])
    },
    forgetVcon: async (uuid) => {
      await inTransaction(pool, async (client) => {
        await client.query(`DELETE FROM ${s}.privacy_expiries WHERE vcon_uuid = $1`, [uuid])
        await client.query(`DELETE FROM ${s}.privacy_skips WHERE vcon_uuid = $1`, [uuid])
        await client.query(`DELETE FROM ${s}.privacy_restrictions WHERE vcon_uuid = $1`, [uuid])
      })
    },
    forgetParty: async (party) => {
      const key = partyKeyText(party)
      await inTransaction(pool, async (client) => {
        await client.query(`DELETE FROM ${s}.privacy_restrictions WHERE party = $1`, [key])
        await client.query(`DELETE FROM ${s}.privacy_withdrawals WHERE party = $1`, [key])
      })
    },
  }
}
