/**
 * @module The `vcon` entry point: dispatches to a subcommand and turns every failure into one line on stderr
 * and an exit status. A user error never prints a stack trace (design §4); an internal error prints one only
 * with VCON_DEBUG=1.
 */
import { readFileSync } from 'node:fs'
import { isVconError } from '@vconkit/vcon'
import { CliError, EXIT_OK, EXIT_TROUBLE, isCliError } from './cli-error.js'
import { auditCommand } from './commands/audit.js'
import type { Command } from './commands/command.js'
import { configCommand } from './commands/config.js'
import { decryptCommand } from './commands/decrypt.js'
import { encryptCommand } from './commands/encrypt.js'
import { hashCommand } from './commands/hash.js'
import { inspectCommand } from './commands/inspect.js'
import { packCommand } from './commands/pack.js'
import { privacyCommand } from './commands/privacy.js'
import { redactCommand } from './commands/redact.js'
import { serveCommand, workerCommand } from './commands/serve.js'
import { signCommand } from './commands/sign.js'
import { tokenCommand } from './commands/token.js'
import { unpackCommand } from './commands/unpack.js'
import { upgradeCommand } from './commands/upgrade.js'
import { validateCommand } from './commands/validate.js'
import { verifyCommand } from './commands/verify.js'
import { type CliIo, processIo } from './io/cli-io.js'

const COMMANDS: readonly Command[] = [
  validateCommand,
  upgradeCommand,
  inspectCommand,
  hashCommand,
  packCommand,
  unpackCommand,
  signCommand,
  verifyCommand,
  encryptCommand,
  decryptCommand,
  redactCommand,
  serveCommand,
  workerCommand,
  tokenCommand,
  configCommand,
  auditCommand,
  privacyCommand,
]

const USAGE = 'vcon <command> [options] [PATH...]'

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length)) + 2
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}${c.summary}`)
  return `usage: ${USAGE}

Read, check, upgrade, sign, encrypt and redact vCons (IETF conversation containers).

Commands:
${lines.join('\n')}
  ${'help'.padEnd(width)}show the help of a command: vcon help validate

Options:
  -h, --help     show this help
  -V, --version  print the version

Exit status: 0 success, 1 invalid input, 2 usage or I/O error (see vcon help <command>).
Set VCON_DEBUG=1 to print the stack of an internal error.
`
}

/** The version of this package, read from its package.json (one level up from src/ and dist/ alike). */
function version(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8')
  const { version: value } = JSON.parse(text) as { version?: unknown }
  return typeof value === 'string' ? value : 'unknown'
}

function findCommand(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name)
  if (command === undefined) {
    throw new CliError(`unknown command '${name}'`, { usageOf: '' })
  }
  return command
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv
  if (first === undefined) {
    io.err(mainHelp())
    return EXIT_TROUBLE
  }
  if (first === '-h' || first === '--help') {
    io.out(mainHelp())
    return EXIT_OK
  }
  if (first === '-V' || first === '--version') {
    io.out(`vcon ${version()}\n`)
    return EXIT_OK
  }
  if (first === 'help') {
    const [topic, ...extra] = rest
    if (extra.length > 0) throw new CliError('help takes at most one command name', { usageOf: '' })
    io.out(topic === undefined ? mainHelp() : findCommand(topic).help)
    return EXIT_OK
  }
  if (first.startsWith('-')) throw new CliError(`unknown option '${first}'`, { usageOf: '' })
  return findCommand(first).run(rest, io)
}

function usageHint(command: string): string {
  if (command === '') return `usage: ${USAGE}\nRun 'vcon --help' for the list of commands.\n`
  const found = COMMANDS.find((c) => c.name === command)
  const usage = found === undefined ? USAGE : found.usage
  return `usage: ${usage}\nRun 'vcon help ${command}' for details.\n`
}

function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text
}

/**
 * Runs the CLI with `argv` (without node and the script) and resolves to the exit status. Never throws.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  try {
    return await dispatch(argv, io)
  } catch (error) {
    if (isCliError(error)) {
      io.err(`vcon: ${error.message}\n`)
      if (error.usageOf !== undefined) io.err(usageHint(error.usageOf))
      return error.exitCode
    }
    // A library error that reaches this point describes the input (its message says what to do), unless it
    // is VCON_BAD_ARGUMENT, which would mean this CLI called the library wrongly: a bug, handled below.
    if (isVconError(error) && error.code !== 'VCON_BAD_ARGUMENT') {
      io.err(`vcon: ${error.message}\n`)
      return EXIT_TROUBLE
    }
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
    io.err(`vcon: internal error: ${firstLine(message)}\n`)
    if (io.env.VCON_DEBUG !== undefined && io.env.VCON_DEBUG !== '' && io.env.VCON_DEBUG !== '0') {
      io.err(`${error instanceof Error ? (error.stack ?? message) : message}\n`)
    } else {
      io.err('run with VCON_DEBUG=1 for details\n')
    }
    return EXIT_TROUBLE
  }
}

// A reader that stops early (`vcon validate big/ | head`) closes the pipe: that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? EXIT_OK)
  process.stderr.write(`vcon: cannot write to stdout: ${error.message}\n`)
  process.exit(EXIT_TROUBLE)
})

// Setting exitCode (not calling process.exit) lets buffered output reach a pipe before the process ends.
process.exitCode = await main(process.argv.slice(2), processIo())
