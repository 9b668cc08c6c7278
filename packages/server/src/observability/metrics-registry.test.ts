import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ServerError } from '../errors/server-error.js'
import type { MetricInfo } from './metric-names.js'
import { createMetrics, escapeLabelValue, formatNumber } from './metrics-registry.js'

const INFO: Record<string, MetricInfo> = {
  requests_total: { type: 'counter', help: 'Requests.\nSecond line with a \\ backslash.' },
  depth: { type: 'gauge', help: 'Depth.' },
  latency_seconds: { type: 'histogram', help: 'Latency.', buckets: [0.1, 0.5, 1] },
  batch_size: { type: 'histogram', help: 'Batch.' },
}

interface Sample {
  readonly name: string
  readonly labels: Record<string, string>
  readonly value: number
}

interface Parsed {
  readonly help: Map<string, string>
  readonly type: Map<string, string>
  readonly samples: Sample[]
}

/** A strict reader of the text format 0.0.4, independent of the renderer: refuses any line it does not know. */
function parseExposition(text: string): Parsed {
  assert.ok(text === '' || text.endsWith('\n'), 'the exposition ends with a line feed')
  const help = new Map<string, string>()
  const type = new Map<string, string>()
  const samples: Sample[] = []
  for (const line of text.split('\n').slice(0, -1)) {
    let m = /^# HELP ([a-zA-Z_:][a-zA-Z0-9_:]*) (.*)$/.exec(line)
    if (m !== null) {
      help.set(
        m[1] as string,
        (m[2] as string).replace(/\\(n|\\)/g, (_, c: string) => (c === 'n' ? '\n' : '\\')),
      )
      continue
    }
    m = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line)
    if (m !== null) {
      type.set(m[1] as string, m[2] as string)
      continue
    }
    m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line)
    assert.ok(m !== null, `not a valid exposition line: ${JSON.stringify(line)}`)
    const labels: Record<string, string> = {}
    let rest = m[3] ?? ''
    while (rest !== '') {
      const lm = /^([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\["\\n])*)"(,|$)/.exec(rest)
      assert.ok(lm !== null, `bad label set in ${JSON.stringify(line)}`)
      labels[lm[1] as string] = (lm[2] as string).replace(/\\(["\\n])/g, (_, c: string) =>
        c === 'n' ? '\n' : c,
      )
      rest = rest.slice(lm[0].length)
    }
    const raw = m[4] as string
    const value = raw === '+Inf' ? Infinity : raw === '-Inf' ? -Infinity : Number(raw)
    assert.ok(!Number.isNaN(value) || raw === 'NaN', `bad value ${raw}`)
    samples.push({ name: m[1] as string, labels, value })
  }
  return { help, type, samples }
}

function find(
  parsed: Parsed,
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return parsed.samples.find(
    (s) =>
      s.name === name &&
      JSON.stringify(Object.entries(s.labels).sort()) ===
        JSON.stringify(Object.entries(labels).sort()),
  )?.value
}

describe('Prometheus text rendering', () => {
  test('counters, gauges and label sets render and parse back', async () => {
    const m = createMetrics({ info: INFO })
    m.inc('requests_total', { method: 'GET', status: '200' })
    m.inc('requests_total', { status: '200', method: 'GET' }, 2)
    m.inc('requests_total', { method: 'POST', status: '201' })
    m.inc('requests_total')
    m.set('depth', { list: 'default' }, 7)
    m.set('depth', { list: 'default' }, 3)
    const parsed = parseExposition(await m.render())
    assert.equal(parsed.type.get('requests_total'), 'counter')
    assert.equal(parsed.type.get('depth'), 'gauge')
    assert.equal(parsed.help.get('requests_total'), 'Requests.\nSecond line with a \\ backslash.')
    assert.equal(find(parsed, 'requests_total', { method: 'GET', status: '200' }), 3)
    assert.equal(find(parsed, 'requests_total', { method: 'POST', status: '201' }), 1)
    assert.equal(find(parsed, 'requests_total'), 1)
    assert.equal(find(parsed, 'depth', { list: 'default' }), 3)
  })

  test('label values with quotes, backslashes and line feeds are escaped and read back intact', async () => {
    const m = createMetrics({ info: INFO })
    const nasty = 'a "quoted"\\path\nnext line'
    m.set('depth', { list: nasty }, 1)
    const text = await m.render()
    assert.ok(text.includes('depth{list="a \\"quoted\\"\\\\path\\nnext line"} 1\n'), text)
    assert.equal(find(parseExposition(text), 'depth', { list: nasty }), 1)
    assert.equal(escapeLabelValue('\\"\n'), '\\\\\\"\\n')
  })

  test('histograms have cumulative buckets, +Inf, _sum and _count', async () => {
    const m = createMetrics({ info: INFO })
    for (const v of [0.05, 0.1, 0.3, 0.7, 2, 5]) m.observe('latency_seconds', { route: '/x' }, v)
    const parsed = parseExposition(await m.render())
    assert.equal(parsed.type.get('latency_seconds'), 'histogram')
    const bucket = (le: string) => find(parsed, 'latency_seconds_bucket', { route: '/x', le })
    assert.equal(bucket('0.1'), 2)
    assert.equal(bucket('0.5'), 3)
    assert.equal(bucket('1'), 4)
    assert.equal(bucket('+Inf'), 6)
    assert.equal(find(parsed, 'latency_seconds_count', { route: '/x' }), 6)
    assert.ok(Math.abs((find(parsed, 'latency_seconds_sum', { route: '/x' }) ?? 0) - 8.15) < 1e-9)
  })

  test('histograms without declared buckets use count buckets unless named _seconds', async () => {
    const m = createMetrics({ info: INFO })
    m.observe('batch_size', undefined, 3)
    const parsed = parseExposition(await m.render())
    assert.equal(find(parsed, 'batch_size_bucket', { le: '2' }), 0)
    assert.equal(find(parsed, 'batch_size_bucket', { le: '5' }), 1)
    assert.equal(find(parsed, 'batch_size_bucket', { le: '5000' }), 1)
  })

  test('families are sorted, each with one HELP and one TYPE line before its samples', async () => {
    const m = createMetrics({ info: INFO })
    m.set('depth', undefined, 1)
    m.inc('requests_total')
    m.observe('latency_seconds', undefined, 0.2)
    const lines = (await m.render()).split('\n')
    const heads = lines.filter((l) => l.startsWith('# TYPE')).map((l) => l.split(' ')[2])
    assert.deepEqual(heads, ['depth', 'latency_seconds', 'requests_total'])
    assert.equal(lines[0], '# HELP depth Depth.')
    assert.equal(lines[1], '# TYPE depth gauge')
    assert.equal(lines[2], 'depth 1')
  })

  test('nothing recorded renders an empty exposition', async () => {
    assert.equal(await createMetrics({ info: INFO }).render(), '')
  })

  test('special values are spelled the Prometheus way', () => {
    assert.equal(formatNumber(Infinity), '+Inf')
    assert.equal(formatNumber(-Infinity), '-Inf')
    assert.equal(formatNumber(Number.NaN), 'NaN')
    assert.equal(formatNumber(0.25), '0.25')
  })
})

describe('misuse and limits', () => {
  test('a counter cannot go down, and types cannot be mixed', () => {
    const m = createMetrics({ info: INFO })
    assert.throws(() => m.inc('requests_total', undefined, -1), ServerError)
    assert.throws(() => m.set('requests_total', undefined, 1), /is a counter, not a gauge/)
    assert.throws(() => m.observe('depth', undefined, 1), /is a gauge, not a histogram/)
    assert.throws(() => m.inc('latency_seconds'), /is a histogram/)
    assert.throws(() => m.inc('requests_total', { 'bad-name': 'x' }), /not a usable label name/)
  })

  test('an undeclared metric is still recorded, with a help line asking to declare it', async () => {
    const m = createMetrics({ info: INFO })
    m.inc('surprise_total')
    const parsed = parseExposition(await m.render())
    assert.equal(find(parsed, 'surprise_total'), 1)
    assert.match(parsed.help.get('surprise_total') ?? '', /metric-names\.ts/)
  })

  test('a gauge can be incremented', async () => {
    const m = createMetrics({ info: INFO })
    m.inc('depth', undefined, 2)
    m.inc('depth', undefined, -1)
    assert.equal(find(parseExposition(await m.render()), 'depth'), 1)
  })

  test('collectors run before each render; a failing one does not fail the scrape', async () => {
    const m = createMetrics({ info: INFO })
    let n = 0
    m.addCollector(() => {
      n++
      m.set('depth', undefined, n)
    })
    m.addCollector(async () => {
      throw new Error('backend down')
    })
    assert.equal(find(parseExposition(await m.render()), 'depth'), 1)
    assert.equal(find(parseExposition(await m.render()), 'depth'), 2)
  })

  test('series beyond the limit are dropped and counted, not kept', async () => {
    const m = createMetrics({ info: INFO })
    for (let i = 0; i < 2100; i++) m.set('depth', { list: `l${i}` }, 1)
    const parsed = parseExposition(await m.render())
    assert.equal(parsed.samples.filter((s) => s.name === 'depth').length, 2000)
    assert.equal(find(parsed, 'vconkit_metric_series_dropped_total', { metric: 'depth' }), 100)
  })
})
