/**
 * @module The process entry of `npm start` (`node packages/server/dist/app/main.js`): API and workers in one
 * process, configured by $VCONKIT_CONFIG (or --config FILE), VCONKIT_* variables, --port and --data. With no
 * configuration at all it listens on 127.0.0.1:8000 with its database in ./data. `vcon serve` is the same.
 */
import { parseArgs } from 'node:util'
import { runServer } from './run-server.js'

const USAGE = `usage: node packages/server/dist/app/main.js [--config FILE] [--port N] [--data DIR]
(the same as: vcon serve [--config FILE] [--port N] [--data DIR])
`

function parse(argv: readonly string[]) {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  })
  if (values.port !== undefined && !/^[0-9]+$/.test(values.port)) {
    throw new Error(`--port must be a whole number from 0 to 65535; got '${values.port}'`)
  }
  return values
}

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>
  try {
    values = parse(process.argv.slice(2))
  } catch (error) {
    process.stderr.write(`vconkit: ${(error as Error).message.split('\n')[0]}\n${USAGE}`)
    return 2
  }
  if (values.help === true) {
    process.stdout.write(USAGE)
    return 0
  }
  return runServer({
    api: true,
    workers: true,
    ...(values.config === undefined ? {} : { configFile: values.config }),
    overrides: {
      ...(values.port === undefined ? {} : { port: Number(values.port) }),
      ...(values.data === undefined ? {} : { dataDir: values.data }),
    },
  })
}

process.exitCode = await main()
// Everything is closed by now; a client library's stray timer must not keep a stopped server alive.
setTimeout(() => process.exit(), 2_000).unref()
