/**
 * @module The conserver's ledger, built by the composition root from the `ledger:` section: in mode embedded
 * (the default) a transparency log over the SQLite or PostgreSQL ledger storage in the same database as the
 * vCons, served by the SCRAPI routes; in mode remote a SCRAPI client of another service. Either way a lifecycle
 * recorder signs the conserver's events with its issuer key and registers them through an outbox, which lives
 * in the store's database: the SQLite file, or the PostgreSQL schema shared by every conserver machine (so that
 * a vCon's `prev` chain does not fork between machines). A SQLite outbox that an earlier version kept beside a
 * PostgreSQL store is moved into PostgreSQL once (lifecycle-outbox-move.ts).
 *
 * Keys (ledger-keys.ts) are PEM files in data_dir. The embedded log accepts statements signed by this
 * conserver's issuer key and by any public key (SPKI PEM) in `<data_dir>/ledger-trusted-issuers/` — the way to
 * let another conserver (mode remote) register here.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  createTransparencyLog,
  type LedgerStorage,
  LIFECYCLE_EVENT_MEDIA_TYPE,
  publicPart,
  type SigningKey,
  type TransparencyLog,
  type VerificationKey,
  verificationKey,
} from '@vconkit/ledger'
import type { LedgerConfig, ServerConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import type { Logger } from '../observability/logger.js'
import type { PostgresStore } from '../store/postgres/postgres-store.js'
import type { SqliteStore } from '../store/sqlite/sqlite-store.js'
import { LEDGER_KEY_FILES, loadOrCreateKeyFile } from './ledger-keys.js'
import type { LifecycleOutbox } from './lifecycle-outbox.js'
import { moveSqliteOutbox } from './lifecycle-outbox-move.js'
import {
  createLifecycleRecorder,
  type LedgerRegistrar,
  type LifecycleRecorder,
} from './lifecycle-recorder.js'
import { createPostgresLedgerStorage } from './postgres-ledger-storage.js'
import { createPostgresLifecycleOutbox } from './postgres-lifecycle-outbox.js'
import { createScrapiClient } from './scrapi-client.js'
import { createSqliteLedgerStorage } from './sqlite-ledger-storage.js'
import { createSqliteLifecycleOutbox } from './sqlite-lifecycle-outbox.js'

/** Folder (inside data_dir) of extra issuer public keys the embedded log accepts. */
export const TRUSTED_ISSUERS_DIR = 'ledger-trusted-issuers'

/** The ledger as the rest of the server sees it. */
export interface ConserverLedger {
  readonly mode: 'embedded' | 'remote'
  /** The embedded transparency log (undefined in mode remote: SCRAPI routes then answer 404). */
  readonly log: TransparencyLog | undefined
  /** CWT iss of the conserver's lifecycle statements. */
  readonly issuer: string
  /** The issuer key's public half (auditors pin it). */
  readonly issuerKey: VerificationKey
  readonly recorder: LifecycleRecorder
  close(): Promise<void>
}

export interface OpenLedgerOptions {
  readonly now: () => number
  readonly log: Logger
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** What the composition root already opened that the ledger shares. */
export interface LedgerBackends {
  /** The embedded store (its connection holds the ledger tables and the outbox). */
  readonly sqlite: SqliteStore | undefined
  /** The PostgreSQL store, when the vCons live there (its schema holds the ledger tables and the outbox). */
  readonly postgres: PostgresStore | undefined
  /**
   * The embedded SQLite file: the outbox when there is neither store; with the PostgreSQL store, where an
   * earlier version kept the outbox (moved to PostgreSQL at start, never created).
   */
  readonly sqliteFile: string
}

const shortId = (kid: Uint8Array) => Buffer.from(kid).toString('hex').slice(0, 16)

function trustedIssuers(dir: string): VerificationKey[] {
  let names: string[]
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.pem'))
  } catch {
    return []
  }
  return names.sort().map((name) => {
    try {
      return verificationKey(readFileSync(join(dir, name), 'utf8'))
    } catch (cause) {
      throw new ServerError(
        'CONFIG_INVALID',
        `ledger: ${join(dir, name)} is not a public key in PEM (${(cause as Error).message}); fix or remove it`,
        { cause },
      )
    }
  })
}

/** Opens the ledger the configuration asks for; undefined when `ledger.mode` is off. */
export async function openConserverLedger(
  config: ServerConfig,
  backends: LedgerBackends,
  options: OpenLedgerOptions,
): Promise<ConserverLedger | undefined> {
  const settings: LedgerConfig = config.ledger ?? { mode: 'embedded' }
  if (settings.mode === 'off') return undefined
  if (settings.mode === 'remote' && settings.url === undefined) {
    throw new ServerError(
      'CONFIG_INVALID',
      'ledger.url: mode remote needs the URL of a SCRAPI service; set ledger.url or use mode embedded',
    )
  }
  const issuerFile = loadOrCreateKeyFile(config.dataDir, LEDGER_KEY_FILES.issuer)
  const issuerKey: SigningKey = issuerFile.key
  const issuer = `urn:vconkit:conserver:${shortId(issuerKey.kid)}`

  let storage: LedgerStorage | undefined
  let transparencyLog: TransparencyLog | undefined
  let registrar: LedgerRegistrar
  if (settings.mode === 'embedded') {
    if (backends.sqlite !== undefined) {
      const s = createSqliteLedgerStorage({ db: backends.sqlite.db, now: options.now })
      await s.migrate()
      storage = s
    } else if (backends.postgres !== undefined) {
      const s = createPostgresLedgerStorage({
        pool: backends.postgres.pool,
        schema: backends.postgres.schema,
      })
      await s.migrate()
      storage = s
    } else {
      throw new ServerError(
        'CONFIG_INVALID',
        'ledger: mode embedded needs the SQLite or PostgreSQL store',
      )
    }
    const { key: logKey, created } = loadOrCreateKeyFile(config.dataDir, LEDGER_KEY_FILES.log)
    const { currentKid } = await storage.state()
    if (created && currentKid !== undefined && !Buffer.from(currentKid).equals(logKey.kid)) {
      // The keys made for this start go again, so a retry meets the same refusal, not a rotation.
      rmSync(join(config.dataDir, LEDGER_KEY_FILES.log), { force: true })
      if (issuerFile.created) rmSync(join(config.dataDir, LEDGER_KEY_FILES.issuer), { force: true })
      // A second server on a shared database with a data_dir of its own: starting would retire the first
      // server's log key (a rotation), and the two would keep taking the key from each other.
      throw new ServerError(
        'CONFIG_INVALID',
        `ledger: the database's log is signed by another key (kid ${Buffer.from(currentKid).toString('hex').slice(0, 16)}…) than the one just created in ${config.dataDir}; copy ${LEDGER_KEY_FILES.log} and ${LEDGER_KEY_FILES.issuer} from the server that created the log into ${config.dataDir} (to rotate on purpose, put the new key in ${LEDGER_KEY_FILES.log} yourself)`,
      )
    }
    const opened = await createTransparencyLog({
      storage,
      issuer: settings.issuer ?? `urn:vconkit:ledger:${shortId(logKey.kid)}`,
      logKey,
      issuerKeys: [
        { ...publicPart(issuerKey), iss: issuer },
        ...trustedIssuers(join(config.dataDir, TRUSTED_ISSUERS_DIR)),
      ],
      policy: { contentTypes: [LIFECYCLE_EVENT_MEDIA_TYPE], subjectPattern: /^urn:uuid:/ },
      now: options.now,
    })
    transparencyLog = opened
    registrar = { register: (statement) => opened.register(statement) }
  } else {
    const token = (options.env ?? process.env).VCONKIT_LEDGER_TOKEN
    registrar = createScrapiClient({
      url: settings.url as string,
      ...(token === undefined ? {} : { token }),
    })
  }

  let outbox: LifecycleOutbox
  try {
    outbox = await openOutbox(backends, options)
  } catch (error) {
    // PostgreSQL away during the move, say: what this start opened goes, the start can be retried.
    await transparencyLog?.close().catch(() => {})
    await storage?.close().catch(() => {})
    throw error
  }
  const recorder = createLifecycleRecorder({
    outbox,
    registrar,
    issuer,
    key: issuerKey,
    log: options.log,
    now: options.now,
  })
  options.log.info('ledger ready', {
    mode: settings.mode,
    issuer,
    ...(transparencyLog === undefined ? {} : { logIssuer: transparencyLog.issuer }),
  })
  return {
    mode: settings.mode,
    log: transparencyLog,
    issuer,
    issuerKey: publicPart(issuerKey),
    recorder,
    async close() {
      await recorder.close()
      await transparencyLog?.close()
      await storage?.close()
      await outbox.close()
    },
  }
}

/**
 * The outbox in the store's database: the SQLite store's connection, or the PostgreSQL store's pool and schema
 * (after moving in what an earlier version left in the SQLite file); a SQLite file of its own otherwise.
 */
async function openOutbox(
  backends: LedgerBackends,
  options: OpenLedgerOptions,
): Promise<LifecycleOutbox> {
  if (backends.sqlite === undefined && backends.postgres !== undefined) {
    const outbox = createPostgresLifecycleOutbox({
      pool: backends.postgres.pool,
      schema: backends.postgres.schema,
    })
    await outbox.migrate()
    await moveSqliteOutbox({
      file: backends.sqliteFile,
      target: outbox,
      log: options.log,
      now: options.now,
    })
    return outbox
  }
  const outbox = createSqliteLifecycleOutbox(
    backends.sqlite === undefined
      ? { file: backends.sqliteFile, now: options.now }
      : { db: backends.sqlite.db, now: options.now },
  )
  try {
    await outbox.migrate()
  } catch (error) {
    await outbox.close()
    throw error
  }
  return outbox
}
