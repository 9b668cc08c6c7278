import assert from 'node:assert/strict'
import { readFile } from 'node:fs/promises'
import { describe, test } from 'node:test'
import { runCli, STACK_FRAME } from './support/run-cli.js'

describe('vcon (no command)', () => {
  test('--help lists every command on stdout and exits 0', async () => {
    const run = await runCli(['--help'])
    assert.equal(run.code, 0)
    for (const command of [
      'validate',
      'upgrade',
      'inspect',
      'hash',
      'pack',
      'unpack',
      'sign',
      'verify',
      'encrypt',
      'decrypt',
      'redact',
      'help',
    ]) {
      assert.match(run.stdout, new RegExp(`^  ${command} `, 'm'))
    }
    assert.equal(run.stderr, '')
  })

  test('--version prints the package version', async () => {
    const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'))
    const run = await runCli(['--version'])
    assert.equal(run.code, 0)
    assert.equal(run.stdout, `vcon ${pkg.version}\n`)
  })

  test('no arguments print the help on stderr and exit 2', async () => {
    const run = await runCli([])
    assert.equal(run.code, 2)
    assert.equal(run.stdout, '')
    assert.match(run.stderr, /^usage: vcon <command>/)
  })

  test('an unknown command exits 2 with a one-line message and the usage', async () => {
    const run = await runCli(['frobnicate'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /^vcon: unknown command 'frobnicate'\nusage: vcon <command>/)
    assert.doesNotMatch(run.stderr, STACK_FRAME)
  })

  test('an unknown top-level option exits 2', async () => {
    const run = await runCli(['--frobnicate'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /^vcon: unknown option '--frobnicate'/)
  })
})

describe('vcon help', () => {
  test('help CMD prints the help of that command', async () => {
    const run = await runCli(['help', 'validate'])
    assert.equal(run.code, 0)
    assert.match(run.stdout, /^usage: vcon validate /)
    assert.match(run.stdout, /Exit status:/)
    assert.match(run.stdout, /2 {2}usage error, or at least one file or folder could not be read/)
  })

  test('CMD --help is the same text', async () => {
    const [viaHelp, viaFlag] = await Promise.all([
      runCli(['help', 'inspect']),
      runCli(['inspect', '--help']),
    ])
    assert.equal(viaFlag.code, 0)
    assert.equal(viaFlag.stdout, viaHelp.stdout)
    assert.match(viaFlag.stdout, /^usage: vcon inspect /)
  })

  test('every command has a help text with its exit statuses', async () => {
    const names = ['hash', 'pack', 'unpack', 'sign', 'verify', 'encrypt', 'decrypt', 'redact']
    const runs = await Promise.all(names.map((name) => runCli(['help', name])))
    runs.forEach((run, i) => {
      assert.equal(run.code, 0, run.stderr)
      assert.match(run.stdout, new RegExp(`^usage: vcon ${names[i]} `))
      assert.match(run.stdout, /\nExit status:\n {2}0 {2}.+\n {2}1 {2}.+[\s\S]*\n {2}2 {2}/)
    })
  })

  test('help for an unknown command exits 2', async () => {
    const run = await runCli(['help', 'nope'])
    assert.equal(run.code, 2)
    assert.match(run.stderr, /unknown command 'nope'/)
  })
})
