/**
 * @module The transparency ledger's tables in PostgreSQL: the same versions and columns as the SQLite schema
 * (sqlite-ledger-schema.ts) in PostgreSQL's dialect, in the schema given to the storage, versioned in its
 * `schema_migrations` under the scope `ledger`. Indices and sizes are bigint (the tree may pass 2^31 leaves).
 */
import type { PostgresMigration } from '../store/postgres/migrations.js'

export const LEDGER_POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'transparency log: entries, nodes, signed roots, checkpoints, keys',
    sql: (s) => `
CREATE TABLE ${s}.ledger_state (
  id integer PRIMARY KEY CHECK (id = 1),
  tree_size bigint NOT NULL,
  last_registered_at bigint NOT NULL,
  current_kid bytea
);
INSERT INTO ${s}.ledger_state (id, tree_size, last_registered_at, current_kid) VALUES (1, 0, 0, NULL);

CREATE TABLE ${s}.ledger_entries (
  leaf_index bigint PRIMARY KEY,
  entry_id text COLLATE "C" NOT NULL UNIQUE,
  statement bytea NOT NULL,
  leaf_hash bytea NOT NULL,
  iss text NOT NULL,
  sub text COLLATE "C" NOT NULL,
  iat bigint,
  registered_at bigint NOT NULL,
  receipt_tree_size bigint NOT NULL
);
CREATE INDEX ledger_entries_by_sub ON ${s}.ledger_entries (sub, leaf_index);

CREATE TABLE ${s}.ledger_nodes (
  level integer NOT NULL,
  node_index bigint NOT NULL,
  hash bytea NOT NULL,
  PRIMARY KEY (level, node_index)
);

CREATE TABLE ${s}.ledger_signed_roots (
  tree_size bigint PRIMARY KEY,
  root bytea NOT NULL,
  protected_header bytea NOT NULL,
  signature bytea NOT NULL,
  kid bytea NOT NULL
);

CREATE TABLE ${s}.ledger_checkpoints (
  tree_size bigint PRIMARY KEY,
  root bytea NOT NULL,
  checkpoint_time bigint NOT NULL,
  checkpoint bytea NOT NULL
);

CREATE TABLE ${s}.ledger_keys (
  seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  kid bytea NOT NULL UNIQUE,
  cose_key bytea NOT NULL,
  status text NOT NULL CHECK (status IN ('current', 'retired')),
  activated_at bigint NOT NULL,
  retired_at bigint
);
CREATE UNIQUE INDEX ledger_keys_one_current ON ${s}.ledger_keys (status) WHERE status = 'current';
`,
  },
]
