/**
 * @module Test helper: runs the `vcon` CLI from source in a child process (as a user would run it) and
 * collects its exit status, stdout and stderr.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root: commands run from here, as the README's quick start does. */
export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
/** The CLI entry point, run from TypeScript source through tsx. */
export const CLI_MAIN = fileURLToPath(new URL('../../src/main.ts', import.meta.url))
/** The in-repository copy of the shared corpus (see packages/vcon/test/fixtures/corpus/SOURCES.md). */
export const CORPUS = join(REPO_ROOT, 'packages/vcon/test/fixtures/corpus')
export const REAL = join(CORPUS, 'real')
export const SPEC = join(CORPUS, 'spec-examples')
export const INVALID_FIXTURES = join(REAL, 'vcon-dev+vcon-server/common/tests/invalid_fixtures')

/** What one CLI run gave. */
export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs `vcon ...args` with optional stdin bytes; cwd is the repository root. */
export function runCli(
  args: readonly string[],
  options: { input?: string | Uint8Array; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=vconkit-source', '--import', 'tsx', CLI_MAIN, ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...options.env }, stdio: ['pipe', 'pipe', 'pipe'] },
    )
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', reject)
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    )
    child.stdin.end(options.input ?? '')
  })
}

/** A stack frame line ("    at fn (file:1:2)"): must never reach a user. */
export const STACK_FRAME = /^\s+at /m

/** A fresh temporary folder, removed by the returned cleanup function. */
export async function tempDir(): Promise<{ path: string; cleanup: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), 'vcon-cli-test-'))
  return { path, cleanup: () => rm(path, { recursive: true, force: true }) }
}
