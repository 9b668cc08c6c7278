/**
 * @module The validated server configuration (after defaults and environment overrides). config/load-config.ts
 * turns a YAML or JSON file into this, with errors that name the key and the fix.
 */
import type { ValidationMode } from '@vconkit/vcon'
import type { LogLevel } from '../observability/logger.js'
import type { TokenScope } from '../ports/token-store.js'

export interface StepConfig {
  /** The step type, e.g. "validate", "tag", "webhook", "transcribe". */
  readonly use: string
  /** A name unique in the chain (defaults to `use`); dead letters and metrics name the step by it. */
  readonly name: string
  readonly options: Readonly<Record<string, unknown>>
  readonly timeoutMs: number
  /** The processing purposes the step serves, when the configuration overrides the step type's own. */
  readonly purposes?: readonly string[]
}

export interface ChainConfig {
  readonly name: string
  readonly ingress: readonly string[]
  readonly egress: readonly string[]
  readonly steps: readonly StepConfig[]
  /** Jobs of this chain run at once per worker process. */
  readonly concurrency: number
  /** Maximum age of the vCons this chain ingests, in milliseconds (the retention sweeper deletes older ones). */
  readonly retentionMs?: number
}

/** A purpose added to the standard vocabulary (`privacy.purposes`). */
export interface ConfiguredPurpose {
  readonly name: string
  readonly description?: string
  readonly broader?: readonly string[]
}

/** The `privacy:` section: consent enforcement and retention. */
export interface PrivacyConfig {
  /**
   * What a vCon that records no lawful basis may be processed for: `allow` (everything: the basis is
   * established outside the vCon), or `deny` (nothing but the purposes in `allowedWithoutBasis`).
   */
  readonly noLawfulBasis: 'allow' | 'deny'
  readonly allowedWithoutBasis: readonly string[]
  /** Purposes added to the standard vocabulary. */
  readonly purposes: readonly ConfiguredPurpose[]
  /** Maximum age of any stored vCon in milliseconds; undefined keeps vCons until deleted. */
  readonly retentionMs?: number
  /** How often the retention and consent-expiry sweepers run. */
  readonly sweepIntervalMs: number
}

export interface ConfiguredToken {
  /** SHA-256 hex of the secret (configuration never holds the secret itself). */
  readonly hash: string
  readonly scope: TokenScope
  readonly lists?: readonly string[]
  readonly label?: string
}

/** The `ledger:` section: where lifecycle events are registered. */
export interface LedgerConfig {
  readonly mode: 'embedded' | 'remote' | 'off'
  /** SCRAPI base URL of mode remote. */
  readonly url?: string
  /** CWT iss of the embedded ledger's receipts and checkpoints. */
  readonly issuer?: string
}

export interface ServerConfig {
  readonly host: string
  readonly port: number
  /** Folder of the embedded database and blobs (default ./data). */
  readonly dataDir: string
  /** postgres://… switches storage to PostgreSQL (VCONKIT_DATABASE_URL). */
  readonly databaseUrl: string | undefined
  /** redis://… switches the queue to Redis/BullMQ (VCONKIT_REDIS_URL). */
  readonly redisUrl: string | undefined
  /** PostgreSQL storage, when `databaseUrl` is set. */
  readonly postgres: {
    /** The schema holding every table (default `public`). */
    readonly schema: string
    readonly poolSize: number
  }
  /** The Redis queue, when `redisUrl` is set. */
  readonly redis: {
    /** Prefix of every key (default `vconkit`). */
    readonly prefix: string
  }
  /** The embedded SQLite file (store and/or queue when no URL is set). */
  readonly sqlite: {
    /** FULL: acknowledged writes survive power loss; NORMAL: they survive a process crash only. */
    readonly synchronous: 'FULL' | 'NORMAL'
    readonly busyTimeoutMs: number
  }
  readonly validation: { readonly mode: ValidationMode }
  readonly limits: {
    readonly maxBodyBytes: number
    readonly maxBulkBytes: number
    /** Requests per second per token (token bucket), and the bucket size. */
    readonly ratePerSecond: number
    readonly burst: number
    /** 503 + Retry-After when the queue holds more jobs than this. */
    readonly maxQueueDepth: number
  }
  readonly queue: {
    readonly leaseMs: number
    readonly maxAttempts: number
    readonly backoffMs: number
  }
  readonly shutdown: {
    /** How long in-flight jobs may run after a stop signal before they are given back to the queue. */
    readonly graceMs: number
  }
  readonly tokens: readonly ConfiguredToken[]
  /** The lifecycle ledger; absent means the default, an embedded ledger. */
  readonly ledger?: LedgerConfig
  readonly chains: readonly ChainConfig[]
  readonly privacy: PrivacyConfig
  readonly log: { readonly level: LogLevel }
}
