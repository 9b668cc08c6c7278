/**
 * @module The Metrics implementation: counters, gauges and fixed-bucket histograms by name and labels, rendered in
 * the Prometheus text exposition format 0.0.4 (HELP and TYPE lines, escaped label values, cumulative `le`
 * buckets with `_sum` and `_count`). Names, types and help come from metric-names.ts.
 */
import { ServerError } from '../errors/server-error.js'
import { METRIC_INFO, METRIC_SERIES_DROPPED, type MetricInfo } from './metric-names.js'
import type { Labels, Metrics } from './metrics.js'

/** Bounds for durations in seconds: 1 ms to 10 s. */
export const SECONDS_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]
/** Bounds for counts and sizes (batch sizes, items). */
export const COUNT_BUCKETS: readonly number[] = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000,
]

/** Series kept per metric; more means a label carries unbounded values (a bug), and is dropped and counted. */
const MAX_SERIES = 2000

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/

interface Series {
  readonly labels: Labels
  value: number
  /** Histograms: observations per bucket (not cumulative), sum and count. */
  buckets?: number[]
  sum?: number
  count?: number
}

interface Family {
  readonly name: string
  readonly info: MetricInfo
  readonly buckets: readonly number[]
  readonly series: Map<string, Series>
}

/** Metrics plus what the composition root needs: values computed at scrape time. */
export interface MetricsRegistry extends Metrics {
  /** Runs before every render (e.g. reads memory use); a failing collector does not fail the scrape. */
  addCollector(collect: () => void | Promise<void>): void
}

export interface MetricsOptions {
  /**
   * Type and help by name (default: metric-names.ts). An undeclared name is typed by its first use and its help
   * says to declare it.
   */
  readonly info?: Readonly<Record<string, MetricInfo>>
}

/** A new, empty registry. */
export function createMetrics(options: MetricsOptions = {}): MetricsRegistry {
  const info = options.info ?? METRIC_INFO
  const families = new Map<string, Family>()
  const collectors: (() => void | Promise<void>)[] = []

  const family = (name: string, use: MetricInfo['type']): Family => {
    const found = families.get(name)
    if (found !== undefined) {
      if (found.info.type !== use) throw misuse(name, found.info.type, use)
      return found
    }
    if (!NAME.test(name))
      throw new ServerError('INTERNAL', `metric name ${name} is not a Prometheus name`)
    // An undeclared name still counts (a scrape must never cost a request), typed by the first call.
    const declared: MetricInfo = info[name] ?? {
      type: use,
      help: 'Undeclared metric: add it to observability/metric-names.ts.',
    }
    if (declared.type !== use) throw misuse(name, declared.type, use)
    const buckets =
      declared.buckets ?? (name.endsWith('_seconds') ? SECONDS_BUCKETS : COUNT_BUCKETS)
    const created: Family = {
      name,
      info: declared,
      buckets: [...buckets].sort((a, b) => a - b),
      series: new Map(),
    }
    families.set(name, created)
    return created
  }

  const seriesOf = (f: Family, labels: Labels | undefined): Series | undefined => {
    const key = labelKey(labels)
    const found = f.series.get(key)
    if (found !== undefined) return found
    if (f.series.size >= MAX_SERIES) {
      if (f.name !== METRIC_SERIES_DROPPED) api.inc(METRIC_SERIES_DROPPED, { metric: f.name })
      return undefined
    }
    for (const name of Object.keys(labels ?? {})) {
      if (!LABEL_NAME.test(name) || name === 'le') {
        throw new ServerError('INTERNAL', `metric ${f.name}: "${name}" is not a usable label name`)
      }
    }
    const created: Series = {
      labels: { ...labels },
      value: 0,
      ...(f.info.type === 'histogram' ? { buckets: f.buckets.map(() => 0), sum: 0, count: 0 } : {}),
    }
    f.series.set(key, created)
    return created
  }

  const api: MetricsRegistry = {
    inc(name, labels, value = 1) {
      const f =
        families.get(name) ?? family(name, info[name]?.type === 'gauge' ? 'gauge' : 'counter')
      if (f.info.type === 'histogram') throw misuse(name, 'histogram', 'counter')
      if (f.info.type === 'counter' && !(value >= 0)) {
        throw new ServerError('INTERNAL', `counter ${name} cannot go down (inc by ${value})`)
      }
      const s = seriesOf(f, labels)
      if (s !== undefined) s.value += value
    },
    set(name, labels, value) {
      const s = seriesOf(family(name, 'gauge'), labels)
      if (s !== undefined) s.value = value
    },
    observe(name, labels, value) {
      const f = family(name, 'histogram')
      const s = seriesOf(f, labels)
      if (s === undefined || s.buckets === undefined) return
      // Stored per bucket; render() accumulates (Prometheus buckets are cumulative).
      const index = f.buckets.findIndex((bound) => value <= bound)
      if (index >= 0) s.buckets[index] = (s.buckets[index] ?? 0) + 1
      s.sum = (s.sum ?? 0) + value
      s.count = (s.count ?? 0) + 1
    },
    async render() {
      for (const collect of collectors) {
        try {
          await collect()
        } catch {
          // A scrape must not fail because one computed value could not be read.
        }
      }
      const lines: string[] = []
      for (const f of [...families.values()].sort((a, b) => a.name.localeCompare(b.name))) {
        if (f.series.size === 0) continue
        lines.push(`# HELP ${f.name} ${escapeHelp(f.info.help)}`)
        lines.push(`# TYPE ${f.name} ${f.info.type}`)
        for (const s of f.series.values()) lines.push(...renderSeries(f, s))
      }
      return lines.length === 0 ? '' : `${lines.join('\n')}\n`
    },
    addCollector(collect) {
      collectors.push(collect)
    },
  }
  return api
}

function misuse(name: string, declared: string, used: string): ServerError {
  return new ServerError('INTERNAL', `metric ${name} is a ${declared}, not a ${used}`)
}

/** A stable key for a label set (order of keys does not matter). */
function labelKey(labels: Labels | undefined): string {
  if (labels === undefined) return ''
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}\u0000${labels[k]}`)
    .join('\u0001')
}

function renderSeries(f: Family, s: Series): string[] {
  if (s.buckets === undefined)
    return [`${f.name}${renderLabels(s.labels)} ${formatNumber(s.value)}`]
  const out: string[] = []
  let cumulative = 0
  f.buckets.forEach((bound, i) => {
    cumulative += s.buckets?.[i] ?? 0
    out.push(`${f.name}_bucket${renderLabels(s.labels, formatNumber(bound))} ${cumulative}`)
  })
  out.push(`${f.name}_bucket${renderLabels(s.labels, '+Inf')} ${s.count ?? 0}`)
  out.push(`${f.name}_sum${renderLabels(s.labels)} ${formatNumber(s.sum ?? 0)}`)
  out.push(`${f.name}_count${renderLabels(s.labels)} ${s.count ?? 0}`)
  return out
}

/** `{a="x",b="y"}` with names sorted, `le` last; '' for no labels. */
function renderLabels(labels: Labels, le?: string): string {
  const parts = Object.keys(labels)
    .sort()
    .map((k) => `${k}="${escapeLabelValue(labels[k] ?? '')}"`)
  if (le !== undefined) parts.push(`le="${le}"`)
  return parts.length === 0 ? '' : `{${parts.join(',')}}`
}

/** Label values escape backslash, double quote and line feed (exposition format 0.0.4). */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

/** HELP text escapes backslash and line feed only. */
function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')
}

/** Go's ParseFloat spelling: +Inf, -Inf, NaN; other numbers as JavaScript prints them. */
export function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (value === Number.POSITIVE_INFINITY) return '+Inf'
  if (value === Number.NEGATIVE_INFINITY) return '-Inf'
  return String(value)
}
