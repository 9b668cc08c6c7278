/**
 * @module The PrivacyState on SQLite: three tables in the Store's file, under their own migration scope.
 * Party keys are stored as `kind:value` text (party-key.ts).
 */
import type Database from 'better-sqlite3'
import type { PartyKey, PrivacyState } from '../../ports/privacy-state.js'
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
import { runSqliteMigrations, type SqliteMigration } from './migrations.js'
import { guardSqlite } from './statements.js'

const PRIVACY_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'restrictions, withdrawals and skipped steps',
    sql: `
CREATE TABLE privacy_restrictions (
  id TEXT PRIMARY KEY NOT NULL,
  vcon_uuid TEXT,
  party TEXT,
  reason TEXT,
  created_at TEXT NOT NULL,
  CHECK ((vcon_uuid IS NULL) <> (party IS NULL))
);
CREATE INDEX privacy_restrictions_by_vcon ON privacy_restrictions (vcon_uuid);
CREATE INDEX privacy_restrictions_by_party ON privacy_restrictions (party);
CREATE TABLE privacy_withdrawals (
  id TEXT PRIMARY KEY NOT NULL,
  party TEXT NOT NULL,
  purposes TEXT NOT NULL,
  reason TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX privacy_withdrawals_by_party ON privacy_withdrawals (party);
CREATE TABLE privacy_skips (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  vcon_uuid TEXT NOT NULL,
  chain TEXT NOT NULL,
  step TEXT NOT NULL,
  purpose TEXT,
  party INTEGER,
  code TEXT NOT NULL,
  reason TEXT NOT NULL,
  at TEXT NOT NULL
);
CREATE INDEX privacy_skips_by_vcon ON privacy_skips (vcon_uuid, seq);`,
  },
  {
    version: 2,
    name: 'consent expiries',
    sql: `
CREATE TABLE privacy_expiries (
  vcon_uuid TEXT NOT NULL,
  attachment INTEGER NOT NULL,
  expires_at TEXT NOT NULL,
  purposes TEXT NOT NULL,
  PRIMARY KEY (vcon_uuid, attachment)
);
CREATE INDEX privacy_expiries_by_time ON privacy_expiries (expires_at);`,
  },
]

/** `IN (?, ?, …)` for n values (n ≥ 1). */
const marks = (n: number): string => Array.from({ length: n }, () => '?').join(', ')

/** A PrivacyState over an open SQLite connection (the Store's: `createSqliteStore(...).db`). */
export function createSqlitePrivacyState(db: Database.Database): PrivacyState {
  const run = async <T>(fn: () => T): Promise<T> => guardSqlite(fn)
  return {
    kind: 'sqlite',
    migrate: () => run(() => void runSqliteMigrations(db, 'privacy', PRIVACY_MIGRATIONS)),
    addRestriction: (r) =>
      run(() => {
        db.prepare(
          'INSERT INTO privacy_restrictions (id, vcon_uuid, party, reason, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(
          r.id,
          'uuid' in r.target ? r.target.uuid : null,
          'party' in r.target ? partyKeyText(r.target.party) : null,
          r.reason ?? null,
          r.createdAt,
        )
      }),
    removeRestriction: (id) =>
      run(() => db.prepare('DELETE FROM privacy_restrictions WHERE id = ?').run(id).changes > 0),
    listRestrictions: () =>
      run(() =>
        (
          db
            .prepare('SELECT * FROM privacy_restrictions ORDER BY created_at, id')
            .all() as RestrictionRow[]
        ).map(toRestriction),
      ),
    restrictionsFor: (uuid, parties) =>
      run(() => {
        const keys = parties.map(partyKeyText)
        const byParty = keys.length === 0 ? '' : ` OR party IN (${marks(keys.length)})`
        const rows = db
          .prepare(
            `SELECT * FROM privacy_restrictions WHERE vcon_uuid = ?${byParty} ORDER BY created_at, id`,
          )
          .all(uuid, ...keys) as RestrictionRow[]
        return rows.map(toRestriction)
      }),
    addWithdrawal: (w) =>
      run(() => {
        db.prepare(
          'INSERT INTO privacy_withdrawals (id, party, purposes, reason, created_at) VALUES (?, ?, ?, ?, ?)',
        ).run(
          w.id,
          partyKeyText(w.party),
          JSON.stringify(w.purposes),
          w.reason ?? null,
          w.createdAt,
        )
      }),
    withdrawalsFor: (parties) =>
      run(() => {
        if (parties.length === 0) return []
        const keys = parties.map(partyKeyText)
        const rows = db
          .prepare(
            `SELECT * FROM privacy_withdrawals WHERE party IN (${marks(keys.length)}) ORDER BY created_at, id`,
          )
          .all(...keys) as WithdrawalRow<string>[]
        return rows.map((row) =>
          toWithdrawal({ ...row, purposes: JSON.parse(row.purposes) as string[] }),
        )
      }),
    recordSkip: (s) =>
      run(() => {
        db.prepare(
          'INSERT INTO privacy_skips (vcon_uuid, chain, step, purpose, party, code, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ).run(
          s.vconUuid,
          s.chain,
          s.step,
          s.purpose ?? null,
          s.party ?? null,
          s.code,
          s.reason,
          s.at,
        )
      }),
    skipsOf: (uuid) =>
      run(() =>
        (
          db
            .prepare('SELECT * FROM privacy_skips WHERE vcon_uuid = ? ORDER BY seq')
            .all(uuid) as SkipRow[]
        ).map(toSkip),
      ),
    noteExpiries: (expiries) =>
      run(() => {
        const upsert = db.prepare(
          'INSERT INTO privacy_expiries (vcon_uuid, attachment, expires_at, purposes) VALUES (?, ?, ?, ?) ON CONFLICT (vcon_uuid, attachment) DO UPDATE SET expires_at = excluded.expires_at, purposes = excluded.purposes',
        )
        db.transaction(() => {
          for (const e of expiries)
            upsert.run(e.vconUuid, e.attachment, e.expiresAt, JSON.stringify(e.purposes))
        }).immediate()
      }),
    dueExpiries: (at, limit) =>
      run(() =>
        (
          db
            .prepare(
              'SELECT * FROM privacy_expiries WHERE expires_at <= ? ORDER BY expires_at LIMIT ?',
            )
            .all(at, limit) as ExpiryRow<string>[]
        ).map((row) => toExpiry({ ...row, purposes: JSON.parse(row.purposes) as string[] })),
      ),
    clearExpiry: (uuid, attachment) =>
      run(() => {
        db.prepare('DELETE FROM privacy_expiries WHERE vcon_uuid = ? AND attachment = ?').run(
          uuid,
          attachment,
        )
      }),
    forgetVcon: (uuid) =>
      run(() => {
        db.transaction(() => {
          db.prepare('DELETE FROM privacy_expiries WHERE vcon_uuid = ?').run(uuid)
          db.prepare('DELETE FROM privacy_skips WHERE vcon_uuid = ?').run(uuid)
          db.prepare('DELETE FROM privacy_restrictions WHERE vcon_uuid = ?').run(uuid)
        }).immediate()
      }),
    forgetParty: (party: PartyKey) =>
      run(() => {
        const key = partyKeyText(party)
        db.transaction(() => {
          db.prepare('DELETE FROM privacy_restrictions WHERE party = ?').run(key)
          db.prepare('DELETE FROM privacy_withdrawals WHERE party = ?').run(key)
        }).immediate()
      }),
  }
}
