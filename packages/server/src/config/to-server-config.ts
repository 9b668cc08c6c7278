/**
 * @module From the checked file shape (snake_case, defaults filled) to ServerConfig, and the checks that span
 * several keys (unique chain and step names, token list bindings), which a per-key schema cannot express.
 */
import type { TokenScope } from '../ports/token-store.js'
import type { KeyPath, PathProblem } from './check-schema.js'
import { durationMs } from './config-schema-privacy.js'
import { closest } from './fix-hints.js'
import type { ChainConfig, ServerConfig, StepConfig } from './server-config.js'

/** The file shape after check-schema.ts filled in the defaults (valid only when it reported no problem). */
export interface CheckedFile {
  readonly host: string
  readonly port: number
  readonly data_dir: string
  readonly database_url?: string
  readonly redis_url?: string
  readonly postgres: { readonly schema: string; readonly pool_size: number }
  readonly redis: { readonly prefix: string }
  readonly sqlite: { readonly synchronous: 'full' | 'normal'; readonly busy_timeout_ms: number }
  readonly validation: { readonly mode: 'strict' | 'lenient' }
  readonly limits: {
    readonly max_body_bytes: number
    readonly max_bulk_bytes: number
    readonly rate_per_second: number
    readonly burst: number
    readonly max_queue_depth: number
  }
  readonly queue: {
    readonly lease_ms: number
    readonly max_attempts: number
    readonly backoff_ms: number
  }
  readonly shutdown: { readonly grace_ms: number }
  readonly ledger?: {
    readonly mode: 'embedded' | 'remote' | 'off'
    readonly url?: string
    readonly issuer?: string
  }
  readonly tokens: readonly {
    readonly hash: string
    readonly scope: TokenScope
    readonly lists?: readonly string[]
    readonly label?: string
  }[]
  readonly chains: readonly {
    readonly name: string
    readonly ingress: readonly string[]
    readonly egress: readonly string[]
    readonly concurrency: number
    readonly retention?: string
    readonly steps: readonly {
      readonly use: string
      readonly name?: string
      readonly options: Readonly<Record<string, unknown>>
      readonly timeout_ms: number
      readonly purposes?: readonly string[]
    }[]
  }[]
  readonly privacy: {
    readonly no_lawful_basis: 'allow' | 'deny'
    readonly allowed_without_basis: readonly string[]
    readonly purposes: readonly {
      readonly name: string
      readonly description?: string
      readonly broader: readonly string[]
    }[]
    readonly retention?: string
    readonly sweep_interval_ms: number
  }
  readonly log: { readonly level: 'debug' | 'info' | 'warn' | 'error' | 'silent' }
}

/** A list the schema check may have dropped (undefined) on a file with problems. */
function listOf<T>(value: readonly T[] | undefined): readonly T[] {
  return Array.isArray(value) ? value : []
}

/**
 * Problems that involve several keys. Runs on a file that may have failed the schema check too (so that every
 * problem is reported at once): entries the schema check dropped are skipped.
 */
export function crossCheck(file: CheckedFile): PathProblem[] {
  const problems: PathProblem[] = []
  const chains = listOf(file.chains)
  const tokens = listOf(file.tokens)
  const chainAt = new Map<string, number>()
  chains.forEach((chain, c) => {
    if (chain === undefined || chain === null) return
    const first = typeof chain.name === 'string' ? chainAt.get(chain.name) : undefined
    if (first !== undefined) {
      problems.push({
        path: ['chains', c, 'name'],
        message: `chains[${first}] is already named "${chain.name}"; chain names must be unique, e.g. name: ${chain.name}-2`,
      })
    } else if (typeof chain.name === 'string') chainAt.set(chain.name, c)
    const stepAt = new Map<string, number>()
    const steps = listOf(chain.steps)
    steps.forEach((step, s) => {
      const name = step?.name ?? step?.use
      if (typeof name !== 'string') return
      const earlier = stepAt.get(name)
      if (earlier === undefined) {
        stepAt.set(name, s)
        return
      }
      const path: KeyPath = ['chains', c, 'steps', s, ...(step.name === undefined ? [] : ['name'])]
      problems.push({
        path,
        message: `steps[${earlier}] of this chain is already named "${name}"; give this step its own name, e.g. name: ${name}-${s + 1}`,
      })
    })
  })

  const ingressLists = [...new Set(chains.flatMap((chain) => listOf(chain?.ingress)))].filter(
    (list): list is string => typeof list === 'string',
  )
  const hashAt = new Map<string, number>()
  tokens.forEach((token, t) => {
    if (token === undefined || token === null) return
    const first = typeof token.hash === 'string' ? hashAt.get(token.hash) : undefined
    if (first !== undefined) {
      problems.push({
        path: ['tokens', t, 'hash'],
        message: `tokens[${first}] has the same hash; remove one of the two`,
      })
    } else if (typeof token.hash === 'string') hashAt.set(token.hash, t)
    if (token.lists === undefined || token.scope === undefined) return
    if (token.scope !== 'ingest') {
      problems.push({
        path: ['tokens', t, 'lists'],
        message: `only ingest tokens are bound to lists (this one is ${token.scope}); remove lists or write scope: ingest`,
      })
      return
    }
    token.lists.forEach((list, l) => {
      if (typeof list !== 'string' || ingressLists.includes(list)) return
      const guess = closest(list, ingressLists)
      const fix =
        guess === undefined
          ? `the ingress lists are ${ingressLists.join(', ') || '(none: no chain is configured)'}`
          : `did you mean ${guess}?`
      problems.push({
        path: ['tokens', t, 'lists', l],
        message: `no chain reads the list "${list}"; ${fix}`,
      })
    })
  })
  return problems
}

/** The ServerConfig a checked file stands for; `dataDir` is passed already resolved to an absolute path. */
export function toServerConfig(file: CheckedFile, dataDir: string): ServerConfig {
  return {
    host: file.host,
    port: file.port,
    dataDir,
    databaseUrl: file.database_url,
    redisUrl: file.redis_url,
    postgres: { schema: file.postgres.schema, poolSize: file.postgres.pool_size },
    redis: { prefix: file.redis.prefix },
    sqlite: {
      synchronous: file.sqlite.synchronous === 'normal' ? 'NORMAL' : 'FULL',
      busyTimeoutMs: file.sqlite.busy_timeout_ms,
    },
    validation: { mode: file.validation.mode },
    limits: {
      maxBodyBytes: file.limits.max_body_bytes,
      maxBulkBytes: file.limits.max_bulk_bytes,
      ratePerSecond: file.limits.rate_per_second,
      burst: file.limits.burst,
      maxQueueDepth: file.limits.max_queue_depth,
    },
    queue: {
      leaseMs: file.queue.lease_ms,
      maxAttempts: file.queue.max_attempts,
      backoffMs: file.queue.backoff_ms,
    },
    shutdown: { graceMs: file.shutdown.grace_ms },
    ledger: {
      mode: file.ledger?.mode ?? 'embedded',
      ...(file.ledger?.url === undefined ? {} : { url: file.ledger.url }),
      ...(file.ledger?.issuer === undefined ? {} : { issuer: file.ledger.issuer }),
    },
    tokens: file.tokens.map((token) => ({
      hash: token.hash,
      scope: token.scope,
      ...(token.lists === undefined ? {} : { lists: [...token.lists] }),
      ...(token.label === undefined ? {} : { label: token.label }),
    })),
    chains: file.chains.map(
      (chain): ChainConfig => ({
        name: chain.name,
        ingress: [...chain.ingress],
        egress: [...chain.egress],
        concurrency: chain.concurrency,
        ...(chain.retention === undefined ? {} : { retentionMs: durationMs(chain.retention) }),
        steps: chain.steps.map(
          (step): StepConfig => ({
            use: step.use,
            name: step.name ?? step.use,
            options: step.options,
            timeoutMs: step.timeout_ms,
            ...(step.purposes === undefined ? {} : { purposes: [...step.purposes] }),
          }),
        ),
      }),
    ),
    privacy: {
      noLawfulBasis: file.privacy.no_lawful_basis,
      allowedWithoutBasis: [...file.privacy.allowed_without_basis],
      purposes: file.privacy.purposes.map((p) => ({
        name: p.name,
        ...(p.description === undefined ? {} : { description: p.description }),
        broader: [...p.broader],
      })),
      ...(file.privacy.retention === undefined
        ? {}
        : { retentionMs: durationMs(file.privacy.retention) }),
      sweepIntervalMs: file.privacy.sweep_interval_ms,
    },
    log: { level: file.log.level },
  }
}
