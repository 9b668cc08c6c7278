/**
 * @module Test helper: runs the `vcon` CLI from source in a child process, as a user would, either to completion
 * (`runVcon`) or as a long-running server whose stdout lines are watched (`spawnVcon`).
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI_MAIN = fileURLToPath(new URL('../../../cli/src/main.ts', import.meta.url))

/** The environment without any VCONKIT_* variable of the machine running the tests, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {}
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('VCONKIT_')) env[key] = value
  }
  return { ...env, ...extra }
}

export interface Finished {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

function start(
  args: readonly string[],
  env: Record<string, string>,
): ChildProcessWithoutNullStreams {
  return spawn(
    process.execPath,
    ['--conditions=vconkit-source', '--import', 'tsx', CLI_MAIN, ...args],
    {
      cwd: REPO_ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  )
}

/** Runs `vcon ...args` to completion. */
export function runVcon(args: readonly string[], env = cleanEnv()): Promise<Finished> {
  const child = start(args, env)
  child.stdin.end()
  return collect(child).done
}

function collect(child: ChildProcessWithoutNullStreams) {
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
  })
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk
  })
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { done, stdout: () => stdout, stderr: () => stderr }
}

/** A running `vcon serve` / `vcon worker`. */
export interface RunningVcon {
  readonly child: ChildProcessWithoutNullStreams
  /** Everything written to stdout so far. */
  stdout(): string
  stderr(): string
  /** The parsed JSON log lines so far. */
  logLines(): Record<string, unknown>[]
  /** Resolves with the first JSON log line whose msg is `msg` (rejects after `timeoutMs` or on exit). */
  waitForLog(msg: string, timeoutMs?: number): Promise<Record<string, unknown>>
  /** Sends `signal` and resolves when the process has exited. */
  stop(signal?: NodeJS.Signals): Promise<Finished>
  readonly done: Promise<Finished>
}

/** Starts `vcon ...args` and watches its output. */
export function spawnVcon(args: readonly string[], env = cleanEnv()): RunningVcon {
  const child = start(args, env)
  child.stdin.end()
  const output = collect(child)
  let exited = false
  void output.done.then(() => {
    exited = true
  })
  const logLines = () =>
    output
      .stdout()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>
        } catch {
          return {}
        }
      })
  return {
    child,
    stdout: output.stdout,
    stderr: output.stderr,
    logLines,
    done: output.done,
    async waitForLog(msg, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = logLines().find((line) => line.msg === msg)
        if (found !== undefined) return found
        if (exited) {
          throw new Error(
            `vcon exited before logging "${msg}"\nstdout:\n${output.stdout()}\nstderr:\n${output.stderr()}`,
          )
        }
        if (Date.now() > deadline) {
          throw new Error(
            `no "${msg}" log line within ${timeoutMs} ms\nstdout:\n${output.stdout()}\nstderr:\n${output.stderr()}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 50))
      }
    },
    async stop(signal = 'SIGTERM') {
      if (!exited) child.kill(signal)
      return output.done
    },
  }
}
