/**
 * @module A whole server process, from configuration to exit status: what `npm start`, `vcon serve` and
 * `vcon worker` run. Configuration errors are printed in full on stderr (exit 1); other start failures
 * (database unreachable, port in use) in one line (exit 2); a graceful stop exits 0.
 */
import { isConfigInvalidError } from '../config/config-error.js'
import { type ConfigOverrides, type Env, loadConfig } from '../config/load-config.js'
import type { ServerConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import type { LineSink } from '../observability/json-logger.js'
import { type CreatedAppContext, createAppContext } from './create-app-context.js'
import { type RunningServer, startServer } from './start-server.js'

/** Exit statuses, as the `vcon` command uses them. */
export const EXIT_STOPPED = 0
export const EXIT_CONFIG_INVALID = 1
export const EXIT_START_FAILED = 2

export interface RunServerOptions {
  /** The configuration file (default: $VCONKIT_CONFIG, else none). */
  readonly configFile?: string
  readonly overrides?: ConfigOverrides
  readonly api: boolean
  readonly workers: boolean
  readonly env?: Env
  /** Log lines and the first-start token banner (default process.stdout). */
  readonly stdout?: LineSink
  /** Start failures, for people (default process.stderr). */
  readonly stderr?: LineSink
  /** Called once the server runs (tests stop it through the handle). */
  readonly onStarted?: (server: RunningServer, ctx: CreatedAppContext) => void
}

/** Why a start failed, in one line that says what to do. */
export function describeStartFailure(error: unknown, config: ServerConfig | undefined): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  if (config !== undefined && code === 'EADDRINUSE') {
    return `cannot listen on ${config.host}:${config.port}: the port is in use; choose another with --port or VCONKIT_PORT`
  }
  if (config !== undefined && (code === 'EACCES' || code === 'EADDRNOTAVAIL')) {
    return `cannot listen on ${config.host}:${config.port} (${code}); check host and port (VCONKIT_HOST, VCONKIT_PORT)`
  }
  if (error instanceof ServerError) return error.message
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error)
}

/** Runs until stopped by a signal (or `onStarted`'s handle); resolves to the exit status. */
export async function runServer(options: RunServerOptions): Promise<number> {
  const stderr = options.stderr ?? process.stderr
  const env = options.env ?? process.env
  let config: ServerConfig
  try {
    config = await loadConfig({
      ...(options.configFile === undefined ? {} : { file: options.configFile }),
      env,
      ...(options.overrides === undefined ? {} : { overrides: options.overrides }),
    })
  } catch (error) {
    if (isConfigInvalidError(error)) {
      stderr.write(`vconkit: ${error.message}\n`)
      return EXIT_CONFIG_INVALID
    }
    stderr.write(
      `vconkit: cannot read the configuration: ${describeStartFailure(error, undefined)}\n`,
    )
    return EXIT_START_FAILED
  }

  let ctx: CreatedAppContext
  try {
    ctx = await createAppContext(config, {
      env,
      ...(options.stdout === undefined ? {} : { stdout: options.stdout }),
      // Only a process that serves the API can show the first token to someone who will use it.
      bootstrapToken: options.api,
    })
  } catch (error) {
    stderr.write(`vconkit: cannot start: ${describeStartFailure(error, config)}\n`)
    return error instanceof ServerError && error.code === 'CONFIG_INVALID'
      ? EXIT_CONFIG_INVALID
      : EXIT_START_FAILED
  }

  let server: RunningServer
  try {
    server = await startServer(ctx, { api: options.api, workers: options.workers })
  } catch (error) {
    ctx.log.error('start failed', { error: describeStartFailure(error, config) })
    stderr.write(`vconkit: cannot start: ${describeStartFailure(error, config)}\n`)
    await ctx.ledger?.close().catch(() => {})
    await ctx.queue.close().catch(() => {})
    await ctx.store.close().catch(() => {})
    return EXIT_START_FAILED
  }
  options.onStarted?.(server, ctx)
  await server.stopped
  return EXIT_STOPPED
}
