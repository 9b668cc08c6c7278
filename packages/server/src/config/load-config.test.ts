import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, test } from 'node:test'
import fc from 'fast-check'
import { ServerError } from '../errors/server-error.js'
import { ConfigInvalidError, type ConfigProblem, isConfigInvalidError } from './config-error.js'
import { checkConfig, loadConfig, resolveConfig } from './load-config.js'

const CWD = '/srv/vconkit'

function problemsOf(text: string, options: { env?: Record<string, string>; source?: string } = {}) {
  const result = resolveConfig({
    text,
    source: options.source ?? '/etc/vconkit/conserver.yaml',
    env: options.env ?? {},
    cwd: CWD,
  })
  assert.equal(result.ok, false, 'expected the configuration to be refused')
  return result.problems
}

function only(problems: readonly ConfigProblem[], path: string): ConfigProblem {
  const found = problems.filter((p) => p.path === path)
  assert.equal(found.length, 1, `expected one problem at ${path}, got ${JSON.stringify(problems)}`)
  return found[0] as ConfigProblem
}

describe('defaults', () => {
  test('no file at all gives a complete configuration', () => {
    const result = resolveConfig({ env: {}, cwd: CWD })
    assert.ok(result.ok)
    const config = result.config
    assert.equal(config.host, '127.0.0.1')
    assert.equal(config.port, 8000)
    assert.equal(config.dataDir, '/srv/vconkit/data')
    assert.equal(config.databaseUrl, undefined)
    assert.equal(config.redisUrl, undefined)
    assert.equal(config.validation.mode, 'lenient')
    assert.equal(config.log.level, 'info')
    assert.deepEqual(config.tokens, [])
    assert.equal(config.queue.maxAttempts, 5)
    assert.equal(config.shutdown.graceMs, 10_000)
    assert.deepEqual(config.chains, [
      {
        name: 'default',
        ingress: ['default'],
        egress: [],
        concurrency: 4,
        steps: [{ use: 'validate', name: 'validate', options: {}, timeoutMs: 30_000 }],
      },
    ])
  })

  test('an empty file and keys left empty (null) mean the defaults', () => {
    const empty = resolveConfig({ text: '', source: 'c.yaml', env: {}, cwd: CWD })
    const blank = resolveConfig({
      text: 'port:\ndatabase_url:\nlimits:\nlog:\n  level:\n',
      source: 'c.yaml',
      env: {},
      cwd: CWD,
    })
    assert.ok(empty.ok && blank.ok)
    assert.equal(blank.config.port, 8000)
    assert.equal(blank.config.databaseUrl, undefined)
    assert.equal(blank.config.log.level, 'info')
    assert.equal(blank.config.limits.maxBodyBytes, empty.config.limits.maxBodyBytes)
  })

  test('nested defaults are filled inside given chains and steps', () => {
    const result = resolveConfig({
      text: 'chains:\n  - name: c\n    ingress: [in]\n    steps:\n      - tag\n      - use: webhook\n        options: { url: "http://x" }\n',
      source: 'c.yaml',
      env: {},
      cwd: CWD,
    })
    assert.ok(result.ok)
    const chain = result.config.chains[0]
    assert.deepEqual(chain?.egress, [])
    assert.equal(chain?.concurrency, 4)
    assert.deepEqual(chain?.steps[1], {
      use: 'webhook',
      name: 'webhook',
      options: { url: 'http://x' },
      timeoutMs: 30_000,
    })
  })
})

describe('YAML and JSON', () => {
  const yaml = `# a comment
host: 0.0.0.0
port: 9000
validation: { mode: strict }
chains:
  - name: main
    ingress: [calls]
    egress: [done]
    steps: [validate, { use: tag, options: { tags: { team: support } } }]
`
  const json = JSON.stringify({
    host: '0.0.0.0',
    port: 9000,
    validation: { mode: 'strict' },
    chains: [
      {
        name: 'main',
        ingress: ['calls'],
        egress: ['done'],
        steps: ['validate', { use: 'tag', options: { tags: { team: 'support' } } }],
      },
    ],
  })

  test('the same configuration in YAML and in JSON resolves the same', () => {
    const a = resolveConfig({ text: yaml, source: '/x/c.yaml', env: {}, cwd: CWD })
    const b = resolveConfig({ text: json, source: '/x/c.json', env: {}, cwd: CWD })
    assert.ok(a.ok && b.ok)
    assert.deepEqual(a.config, b.config)
    assert.equal(a.config.port, 9000)
    assert.equal(a.config.validation.mode, 'strict')
    assert.deepEqual(a.config.chains[0]?.steps[1]?.options, { tags: { team: 'support' } })
  })

  test('a YAML syntax error names its line', () => {
    const problems = problemsOf('host: a\nchains: [\n  - x\nport: 1\n')
    assert.ok(problems.length >= 1)
    assert.match(problems[0]?.message ?? '', /^not valid YAML: /)
    assert.equal(typeof problems[0]?.line, 'number')
  })

  test('a duplicated YAML key is an error, not a silent override', () => {
    const problems = problemsOf('port: 1\nport: 2\n')
    assert.match(problems[0]?.message ?? '', /not valid YAML: .*unique/i)
    assert.equal(problems[0]?.line, 2)
  })

  test('a JSON syntax error names its line', () => {
    const problems = problemsOf('{\n  "port": 8000,\n  "host": }\n', { source: '/x/c.json' })
    assert.equal(problems.length, 1)
    assert.match(problems[0]?.message ?? '', /^not valid JSON: /)
    assert.equal(problems[0]?.line, 3)
  })

  test('the top level must be a mapping', () => {
    const problems = problemsOf('- a\n- b\n')
    assert.equal(problems[0]?.path, '')
    assert.match(problems[0]?.message ?? '', /expected a mapping/)
  })
})

describe('errors name the key path and the fix, all at once', () => {
  const text = `host: 127.0.0.1
prot: 8080
limits:
  max_body_bytes: 10MiB
  burst: "50"
queue:
  leaseMs: 5000
chains:
  - name: my chain
    ingress: a,b
    concurrency: 0
    steps:
      - validate
      - use: tag
        timeout_ms: "5s"
  - ingress: [x]
    steps: []
log:
  level: INFO
tokens:
  - hash: not-a-hash
    scope: reader
`
  const problems = problemsOf(text)

  test('every problem is reported, in file order', () => {
    assert.deepEqual(
      problems.map((p) => p.path),
      [
        'prot',
        'limits.max_body_bytes',
        'limits.burst',
        'queue.leaseMs',
        'chains[0].name',
        'chains[0].ingress',
        'chains[0].concurrency',
        'chains[0].steps[1].timeout_ms',
        'chains[1].name',
        'chains[1].steps',
        'log.level',
        'tokens[0].hash',
        'tokens[0].scope',
      ],
    )
    assert.deepEqual(
      problems.map((p) => p.line),
      [2, 4, 5, 7, 9, 10, 11, 15, 16, 17, 19, 21, 22],
    )
  })

  test('a duration written with a unit gets the number of milliseconds to write', () => {
    assert.equal(
      only(problems, 'chains[0].steps[1].timeout_ms').message,
      'expected a number of milliseconds from 1 to 3600000, got "5s"; write 5000',
    )
  })

  test('a size written with a unit gets the number of bytes to write', () => {
    assert.equal(
      only(problems, 'limits.max_body_bytes').message,
      'expected a number of bytes ≥ 1024, got "10MiB"; write 10485760',
    )
  })

  test('a quoted number is told to lose its quotes', () => {
    assert.match(
      only(problems, 'limits.burst').message,
      /got "50"; write 50 \(a number, without quotes\)$/,
    )
  })

  test('unknown keys suggest the closest known key', () => {
    assert.equal(only(problems, 'prot').message, 'unknown key; did you mean port?')
    assert.equal(
      only(problems, 'queue.leaseMs').message,
      'unknown key; did you mean lease_ms? (keys are snake_case)',
    )
  })

  test('enums suggest the value meant', () => {
    assert.equal(
      only(problems, 'log.level').message,
      'expected one of debug, info, warn, error, silent, got "INFO"; write info',
    )
    assert.match(only(problems, 'tokens[0].scope').message, /got "reader"; write read$/)
  })

  test('names, lists, ranges and required keys say what to write', () => {
    assert.match(only(problems, 'chains[0].name').message, /got "my chain"; write my-chain$/)
    assert.equal(
      only(problems, 'chains[0].ingress').message,
      'expected a list, got "a,b"; write a list: [a, b]',
    )
    assert.match(
      only(problems, 'chains[0].concurrency').message,
      /^expected a whole number from 1 to 1024, got 0; write 1/,
    )
    assert.match(only(problems, 'chains[1].name').message, /^missing; .*\(e\.g\. name: default\)$/)
    assert.equal(
      only(problems, 'chains[1].steps').message,
      'expected a list of at least 1, got an empty list',
    )
    assert.match(only(problems, 'tokens[0].hash').message, /SHA-256 hash in lowercase hex/)
  })

  test('a key far from every known key lists the keys instead', () => {
    const list = problemsOf('validation:\n  zzzzzz: 1\n')
    assert.match(only(list, 'validation.zzzzzz').message, /^unknown key; the keys here are mode$/)
  })

  test('loadConfig throws one ServerError CONFIG_INVALID listing every problem', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-config-'))
    try {
      const file = join(dir, 'conserver.yaml')
      await writeFile(file, text)
      await assert.rejects(loadConfig({ file, env: {} }), (error: unknown) => {
        assert.ok(error instanceof ServerError)
        assert.ok(error instanceof ConfigInvalidError)
        assert.ok(isConfigInvalidError(error))
        assert.equal(error.code, 'CONFIG_INVALID')
        assert.equal(error.problems.length, 13)
        assert.match(error.message, /^the configuration has 13 errors:\n/)
        assert.ok(
          error.message.includes(
            `${file}:15: chains[0].steps[1].timeout_ms: expected a number of milliseconds from 1 to 3600000, got "5s"; write 5000`,
          ),
        )
        return true
      })
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

describe('checks across keys', () => {
  test('chain names and step names must be unique', () => {
    const problems = problemsOf(`chains:
  - name: a
    ingress: [in]
    steps: [validate, tag, tag]
  - name: a
    ingress: [in2]
    steps: [validate, { use: tag, name: t }, { use: webhook, name: t }]
`)
    assert.deepEqual(
      problems.map((p) => [p.path, p.line]),
      [
        ['chains[0].steps[2]', 4],
        ['chains[1].name', 5],
        ['chains[1].steps[2].name', 7],
      ],
    )
    assert.match(only(problems, 'chains[0].steps[2]').message, /already named "tag".*name: tag-3$/)
  })

  test('token list bindings: ingest only, and to lists some chain reads', () => {
    const hash = 'a'.repeat(64)
    const other = 'b'.repeat(64)
    const problems = problemsOf(`tokens:
  - { hash: ${hash}, scope: read, lists: [default] }
  - { hash: ${other}, scope: ingest, lists: [defualt, nowhere-at-all] }
  - { hash: ${hash}, scope: admin }
`)
    assert.match(only(problems, 'tokens[0].lists').message, /only ingest tokens/)
    assert.equal(
      only(problems, 'tokens[1].lists[0]').message,
      'no chain reads the list "defualt"; did you mean default?',
    )
    assert.equal(
      only(problems, 'tokens[1].lists[1]').message,
      'no chain reads the list "nowhere-at-all"; the ingress lists are default',
    )
    assert.match(only(problems, 'tokens[2].hash').message, /tokens\[0\] has the same hash/)
  })

  test('cross-key problems are reported together with schema problems', () => {
    const problems = problemsOf(
      'port: x\nchains:\n  - { name: c, ingress: [i], steps: [tag, tag] }\n',
    )
    assert.deepEqual(
      problems.map((p) => p.path),
      ['port', 'chains[0].steps[1]'],
    )
  })
})

describe('environment and command-line overrides', () => {
  const file = 'port: 9000\nhost: 10.0.0.1\ndata_dir: state\nlog: { level: warn }\n'

  test('VCONKIT_* variables win over the file', () => {
    const result = resolveConfig({
      text: file,
      source: '/etc/vconkit/c.yaml',
      cwd: CWD,
      env: {
        VCONKIT_PORT: '9100',
        VCONKIT_HOST: '0.0.0.0',
        VCONKIT_DATABASE_URL: 'postgres://u@db:5432/v',
        VCONKIT_REDIS_URL: 'redis://r:6379',
        VCONKIT_LOG_LEVEL: 'debug',
        VCONKIT_DATA_DIR: 'var/data',
      },
    })
    assert.ok(result.ok)
    assert.equal(result.config.port, 9100)
    assert.equal(result.config.host, '0.0.0.0')
    assert.equal(result.config.databaseUrl, 'postgres://u@db:5432/v')
    assert.equal(result.config.redisUrl, 'redis://r:6379')
    assert.equal(result.config.log.level, 'debug')
    // An override's relative path is relative to the working folder, the file's to the file.
    assert.equal(result.config.dataDir, '/srv/vconkit/var/data')
  })

  test('without overrides, data_dir in a file is relative to the file', () => {
    const result = resolveConfig({ text: file, source: '/etc/vconkit/c.yaml', cwd: CWD, env: {} })
    assert.ok(result.ok)
    assert.equal(result.config.dataDir, '/etc/vconkit/state')
    assert.equal(result.config.port, 9000)
    assert.equal(result.config.log.level, 'warn')
  })

  test('empty variables are ignored; bad ones are errors naming the variable', () => {
    const problems = problemsOf(file, {
      env: {
        VCONKIT_PORT: 'eighty',
        VCONKIT_LOG_LEVEL: 'verbose',
        VCONKIT_DATABASE_URL: 'mysql://x',
        VCONKIT_HOST: '',
      },
    })
    assert.deepEqual(
      problems.map((p) => p.path),
      ['VCONKIT_PORT', 'VCONKIT_DATABASE_URL', 'VCONKIT_LOG_LEVEL'],
    )
    assert.equal(
      only(problems, 'VCONKIT_PORT').message,
      'expected a port number from 0 to 65535, got "eighty"',
    )
    assert.match(only(problems, 'VCONKIT_DATABASE_URL').message, /PostgreSQL URL/)
  })

  test('command-line overrides win over the environment', () => {
    const result = resolveConfig({
      text: file,
      source: '/etc/vconkit/c.yaml',
      cwd: CWD,
      env: { VCONKIT_PORT: '9100', VCONKIT_DATA_DIR: '/env' },
      overrides: { port: 0, dataDir: 'cli-data' },
    })
    assert.ok(result.ok)
    assert.equal(result.config.port, 0)
    assert.equal(result.config.dataDir, '/srv/vconkit/cli-data')
  })

  test('a bad command-line value names the option', () => {
    const result = resolveConfig({ env: {}, cwd: CWD, overrides: { port: 70_000 } })
    assert.equal(result.ok, false)
    assert.equal(result.problems[0]?.path, '--port')
  })

  test('VCONKIT_CONFIG names the file when none is given', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vconkit-config-'))
    try {
      await writeFile(join(dir, 'c.json'), '{"port": 8123}')
      const config = await loadConfig({ env: { VCONKIT_CONFIG: join(dir, 'c.json') } })
      assert.equal(config.port, 8123)
      const missing = await checkConfig({ file: join(dir, 'nope.yaml'), env: {} })
      assert.equal(missing.ok, false)
      assert.match(missing.problems[0]?.message ?? '', /cannot read the file: no such file/)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})

test('the checker never throws, whatever the file holds', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const result = resolveConfig({
        text: JSON.stringify(value),
        source: 'c.json',
        env: {},
        cwd: CWD,
      })
      if (!result.ok) {
        assert.ok(result.problems.length > 0)
        for (const p of result.problems) assert.ok(p.message.length > 0)
      }
    }),
    { numRuns: 300 },
  )
})
