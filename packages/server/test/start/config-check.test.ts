/**
 * `vcon config check FILE`, run as a user runs it: exit 0 for a valid file, 1 with every problem (file, line,
 * key path, fix) for an invalid one, 2 for usage errors and unreadable files.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { runVcon } from './spawn-cli.js'

let dir: string

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vconkit-config-check-'))
})

after(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, text)
  return path
}

describe('vcon config check', { timeout: 60_000 }, () => {
  test('the example configuration is valid: exit 0', async () => {
    const run = await runVcon(['config', 'check', 'examples/conserver.yaml'])
    assert.equal(run.code, 0, run.stdout + run.stderr)
    assert.equal(run.stdout, 'examples/conserver.yaml: valid (chains: default)\n')
    assert.equal(run.stderr, '')
  })

  test('a JSON file is checked the same way', async () => {
    const path = await file(
      'ok.json',
      '{"port": 9000, "chains": [{"name": "a", "ingress": ["in"], "steps": ["validate"]}]}',
    )
    const run = await runVcon(['config', 'check', path])
    assert.equal(run.code, 0, run.stdout)
    assert.match(run.stdout, /: valid \(chains: a\)\n$/)
  })

  test('an invalid file: exit 1 and every problem with its line, key path and fix', async () => {
    const path = await file(
      'bad.yaml',
      `prot: 8000
chains:
  - name: main
    ingress: [calls]
    steps:
      - validate
      - use: tag
        timeout_ms: 5s
log:
  level: verbose
`,
    )
    const run = await runVcon(['config', 'check', path])
    assert.equal(run.code, 1)
    assert.equal(
      run.stdout,
      [
        `${path}:1: prot: unknown key; did you mean port?`,
        `${path}:8: chains[0].steps[1].timeout_ms: expected a number of milliseconds from 1 to 3600000, got "5s"; write 5000`,
        `${path}:10: log.level: expected one of debug, info, warn, error, silent, got "verbose"`,
        `${path}: invalid, 3 errors`,
        '',
      ].join('\n'),
    )
  })

  test('step options are checked too, as a start would (unknown step type, bad option)', async () => {
    const unknownStep = await file(
      'step.yaml',
      'chains:\n  - name: main\n    ingress: [calls]\n    steps: [validate, tagg]\n',
    )
    let run = await runVcon(['config', 'check', unknownStep])
    assert.equal(run.code, 1)
    assert.match(
      run.stdout,
      /^.*step\.yaml: chains\[0\]\.steps\[1\]\.use: unknown step type "tagg".*the known types are .*tag/m,
    )

    const badOption = await file(
      'option.yaml',
      'chains:\n  - name: main\n    ingress: [calls]\n    steps:\n      - use: tag\n        options: { colour: red }\n',
    )
    run = await runVcon(['config', 'check', badOption])
    assert.equal(run.code, 1)
    assert.match(
      run.stdout,
      /option\.yaml: chains\[0\]\.steps\[0\]\.options\.colour: is not an option of the tag step/,
    )
  })

  test('usage errors and unreadable files: exit 2', async () => {
    for (const args of [
      ['config'],
      ['config', 'check'],
      ['config', 'lint', 'x.yaml'],
      ['config', 'check', 'a.yaml', 'b.yaml'],
      ['config', 'check', join(dir, 'missing.yaml')],
    ]) {
      const run = await runVcon(args)
      assert.equal(run.code, 2, `vcon ${args.join(' ')}: ${run.stderr}`)
      assert.match(run.stderr, /^vcon: /)
      assert.doesNotMatch(run.stderr, /^\s+at /m)
    }
  })
})
