/**
 * @module `vcon serve` and `vcon worker`: run the conserver (@vconkit/server) in this process: the HTTP API and
 * the pipeline workers, or the workers only (for more processes or machines sharing PostgreSQL and Redis).
 */
import { flag, integerOption, parseCommandArgs, stringOption } from '../args.js'
import { CliError, EXIT_OK } from '../cli-error.js'
import type { CliIo } from '../io/cli-io.js'
import type { Command } from './command.js'

const CONFIG_HELP = `Configuration: a YAML or JSON file (--config, else $VCONKIT_CONFIG, else none: every key has a
default), then the variables VCONKIT_HOST, VCONKIT_PORT, VCONKIT_DATA_DIR, VCONKIT_DATABASE_URL,
VCONKIT_REDIS_URL and VCONKIT_LOG_LEVEL, then the options below. Check a file with: vcon config check FILE.
Without a URL, vCons, tokens and the queue live in one SQLite file, DIR/vconkit.db; VCONKIT_DATABASE_URL
(postgres://…) moves storage to PostgreSQL and VCONKIT_REDIS_URL (redis://…) the queue to Redis.`

const SERVE_USAGE = 'vcon serve [--config FILE] [--port N] [--data DIR]'

const SERVE_HELP = `usage: ${SERVE_USAGE}

Runs the conserver: the HTTP API (default http://127.0.0.1:8000; /docs describes it) and the pipeline
workers, in this process. Logs are JSON lines on stdout. With no token configured or stored, the first
start creates an admin token and prints it once on stdout; only its hash is kept.
SIGTERM or SIGINT stops it gracefully: requests in flight finish, running jobs get shutdown.grace_ms,
the rest go back to the queue.

Options:
  --config FILE  the configuration file (YAML or JSON)
  --port N       the HTTP port (0 picks a free one; the "listening" log line gives it)
  --data DIR     the data folder of the embedded database (default ./data)
  -h, --help     show this help

${CONFIG_HELP}

Exit status: 0 stopped by a signal, 1 invalid configuration (every problem is listed),
2 could not start (port in use, database unreachable) or usage error.
`

const WORKER_USAGE = 'vcon worker [--config FILE] [--data DIR]'

const WORKER_HELP = `usage: ${WORKER_USAGE}

Runs the pipeline workers only (no HTTP API): they take jobs from the queue, run each chain's steps and
store the results. Run as many as needed, on as many machines as share the database and the queue
(VCONKIT_DATABASE_URL, VCONKIT_REDIS_URL); on one machine, workers also share the embedded SQLite file.
SIGTERM or SIGINT stops taking jobs; running ones get shutdown.grace_ms, the rest go back to the queue.

Options:
  --config FILE  the configuration file (YAML or JSON)
  --data DIR     the data folder of the embedded database (default ./data)
  -h, --help     show this help

${CONFIG_HELP}

Exit status: 0 stopped by a signal, 1 invalid configuration, 2 could not start or usage error.
`

async function run(
  command: 'serve' | 'worker',
  args: readonly string[],
  io: CliIo,
): Promise<number> {
  const parsed = parseCommandArgs(command, args, {
    config: { type: 'string' },
    data: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
    ...(command === 'serve' ? { port: { type: 'string' as const } } : {}),
  })
  if (flag(parsed, 'help')) {
    io.out(command === 'serve' ? SERVE_HELP : WORKER_HELP)
    return EXIT_OK
  }
  if (parsed.positionals.length > 0) {
    throw new CliError(`${command} takes no arguments (got '${parsed.positionals[0]}')`, {
      usageOf: command,
    })
  }
  const port = command === 'serve' ? integerOption(parsed, 'port', command, 0) : undefined
  if (port !== undefined && port > 65_535) {
    throw new CliError(`--port must be at most 65535; got '${port}'`, { usageOf: command })
  }
  const configFile = stringOption(parsed, 'config')
  const dataDir = stringOption(parsed, 'data')
  // Loaded here, not at the top: the other commands should not pay for the server's database drivers.
  const { runServer } = await import('@vconkit/server')
  return runServer({
    api: command === 'serve',
    workers: true,
    ...(configFile === undefined ? {} : { configFile }),
    overrides: {
      ...(port === undefined ? {} : { port }),
      ...(dataDir === undefined ? {} : { dataDir }),
    },
    env: io.env,
    stdout: { write: (text: string) => io.out(text) },
    stderr: { write: (text: string) => io.err(text) },
  })
}

/** `vcon serve`. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the conserver: HTTP API and pipeline workers',
  usage: SERVE_USAGE,
  help: SERVE_HELP,
  run: (args, io) => run('serve', args, io),
}

/** `vcon worker`. */
export const workerCommand: Command = {
  name: 'worker',
  summary: 'run conserver pipeline workers only (no HTTP API)',
  usage: WORKER_USAGE,
  help: WORKER_HELP,
  run: (args, io) => run('worker', args, io),
}
