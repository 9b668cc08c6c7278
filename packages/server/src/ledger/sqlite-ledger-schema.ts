/**
 * @module The transparency ledger's tables in the SQLite file. They are prefixed `ledger_` and versioned in the
 * shared `schema_migrations` table under their own scope (`ledger`), so the ledger can live in the Store's file
 * or in a file of its own. Released migrations are never edited; a change is a new version.
 *
 * Only complete Merkle subtrees are stored (`ledger_nodes`, RFC 9162 §2.1: they never change); the state row
 * holds the tree size, which an append moves in the same transaction as its entries and nodes.
 */
import type { SqliteMigration } from '../store/sqlite/migrations.js'

/** The scope of the ledger's rows in `schema_migrations`. */
export const LEDGER_SCOPE = 'ledger'

export const LEDGER_SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    name: 'transparency log: entries, nodes, signed roots, checkpoints, keys',
    sql: `
CREATE TABLE ledger_state (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  tree_size INTEGER NOT NULL,
  last_registered_at INTEGER NOT NULL,
  current_kid BLOB
);
INSERT INTO ledger_state (id, tree_size, last_registered_at, current_kid) VALUES (1, 0, 0, NULL);

CREATE TABLE ledger_entries (
  leaf_index INTEGER PRIMARY KEY,
  entry_id TEXT NOT NULL UNIQUE,
  -- The signed statement with its unprotected header emptied: the leaf input.
  statement BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  iss TEXT NOT NULL,
  sub TEXT NOT NULL,
  iat INTEGER,
  registered_at INTEGER NOT NULL,
  receipt_tree_size INTEGER NOT NULL
);
CREATE INDEX ledger_entries_by_sub ON ledger_entries (sub, leaf_index);

CREATE TABLE ledger_nodes (
  level INTEGER NOT NULL,
  node_index INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, node_index)
) WITHOUT ROWID;

CREATE TABLE ledger_signed_roots (
  tree_size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  protected_header BLOB NOT NULL,
  signature BLOB NOT NULL,
  kid BLOB NOT NULL
);

CREATE TABLE ledger_checkpoints (
  tree_size INTEGER PRIMARY KEY,
  root BLOB NOT NULL,
  checkpoint_time INTEGER NOT NULL,
  checkpoint BLOB NOT NULL
);

-- Public keys only. The rowid keeps the activation order.
CREATE TABLE ledger_keys (
  kid BLOB NOT NULL UNIQUE,
  cose_key BLOB NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('current', 'retired')),
  activated_at INTEGER NOT NULL,
  retired_at INTEGER
);
CREATE UNIQUE INDEX ledger_keys_one_current ON ledger_keys (status) WHERE status = 'current';
`,
  },
]
