/**
 * @module What every part of a running server is handed: the configuration and the adapters chosen from it.
 * Built once by the composition root (app/), passed down explicitly (no globals).
 */

import type { ServerConfig } from '../config/server-config.js'
import type { ConserverLedger } from '../ledger/conserver-ledger.js'
import type { Logger } from '../observability/logger.js'
import type { Metrics } from '../observability/metrics.js'
import type { ChainSet } from '../pipeline/chain-set.js'
import type { PrivacyState } from '../ports/privacy-state.js'
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import type { TokenStore } from '../ports/token-store.js'
import type { ConsentPolicy } from '../privacy/consent-policy.js'

export interface AppContext {
  readonly config: ServerConfig
  readonly store: Store
  readonly queue: Queue
  readonly tokens: TokenStore
  readonly chains: ChainSet
  readonly metrics: Metrics
  readonly log: Logger
  /** The lifecycle ledger (absent when `ledger.mode` is off, and in contexts built by hand). */
  readonly ledger?: ConserverLedger
  /**
   * Consent enforcement and the privacy rules (restrictions, withdrawals, skipped steps), beside the store.
   * Absent only in contexts built by hand for tests: the privacy routes then answer 404.
   */
  readonly privacy?: { readonly state: PrivacyState; readonly policy: ConsentPolicy }
  /** Milliseconds since the epoch; injectable for tests. */
  readonly now: () => number
}
