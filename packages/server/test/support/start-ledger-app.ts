/**
 * @module Starts the real application (createAppContext + startServer, API and workers) over a data folder, with
 * the embedded ledger, configured admin and read tokens, and the chains given. The ledger e2e and SCRAPI tests
 * use it; calling it again on the same folder is a restart.
 */

import { type CreatedAppContext, createAppContext } from '../../src/app/create-app-context.js'
import { type RunningServer, startServer } from '../../src/app/start-server.js'
import { generateTokenSecret } from '../../src/auth/token-secret.js'
import { resolveConfig } from '../../src/config/load-config.js'
import type { ChainConfig, ServerConfig } from '../../src/config/server-config.js'
import { silentLogger } from '../../src/observability/json-logger.js'
import type { StepFactory } from '../../src/pipeline/step.js'

export interface LedgerAppTokens {
  readonly admin: string
  readonly read: string
}

export interface LedgerApp {
  readonly url: string
  readonly ctx: CreatedAppContext
  readonly server: RunningServer
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>
  stop(): Promise<void>
}

/** Token secrets to reuse across restarts of one data folder. */
export function ledgerAppTokens(): LedgerAppTokens {
  return { admin: generateTokenSecret().secret, read: generateTokenSecret().secret }
}

export async function startLedgerApp(options: {
  readonly dataDir: string
  readonly tokens: LedgerAppTokens
  readonly chains?: readonly ChainConfig[]
  readonly env?: Readonly<Record<string, string>>
  readonly ledger?: ServerConfig['ledger']
  /** Run pipeline workers in this process (default true); false leaves jobs queued. */
  readonly workers?: boolean
  /** Step types added to the built-in ones (e.g. a step that always fails, for retries and dead letters). */
  readonly steps?: readonly StepFactory[]
  /** Last changes to the configuration (e.g. a PostgreSQL database). */
  readonly configure?: (config: ServerConfig) => ServerConfig
}): Promise<LedgerApp> {
  const resolved = resolveConfig({ env: {}, overrides: { dataDir: options.dataDir, port: 0 } })
  if (!resolved.ok) throw new Error(`test config: ${JSON.stringify(resolved.problems)}`)
  const base = resolved.config
  const { createHash } = await import('node:crypto')
  const hash = (s: string) => createHash('sha256').update(s).digest('hex')
  const config: ServerConfig = {
    ...base,
    host: '127.0.0.1',
    sqlite: { ...base.sqlite, synchronous: 'NORMAL' },
    queue: { ...base.queue, maxAttempts: 3, backoffMs: 20 },
    tokens: [
      { hash: hash(options.tokens.admin), scope: 'admin' },
      { hash: hash(options.tokens.read), scope: 'read' },
    ],
    chains: options.chains ?? base.chains,
    ...(options.ledger === undefined ? {} : { ledger: options.ledger }),
    log: { level: 'silent' },
  }
  const ctx = await createAppContext(options.configure?.(config) ?? config, {
    log: silentLogger(),
    env: options.env ?? {},
    bootstrapToken: false,
    ...(options.steps === undefined ? {} : { steps: options.steps }),
  })
  const server = await startServer(ctx, {
    api: true,
    workers: options.workers ?? true,
    handleSignals: false,
  })
  const url = server.url as string
  return {
    url,
    ctx,
    server,
    fetch(path, init = {}) {
      const { token, ...rest } = init
      const headers = new Headers(rest.headers)
      const secret = token === undefined ? options.tokens.admin : token
      if (secret !== null && !headers.has('authorization')) {
        headers.set('authorization', `Bearer ${secret}`)
      }
      return fetch(`${url}${path}`, { ...rest, headers })
    },
    stop: () => server.stop('test done'),
  }
}
