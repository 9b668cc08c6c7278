/**
 * @module A Metrics implementation that records every call, for assertions on names, labels and counts.
 */
import type { Labels, Metrics } from '../../src/observability/metrics.js'

export interface MetricCall {
  readonly kind: 'inc' | 'set' | 'observe'
  readonly name: string
  readonly labels: Labels
  readonly value: number
}

export interface RecordingMetrics extends Metrics {
  readonly calls: MetricCall[]
  /** Sum of `inc` values of a counter whose labels include `labels`. */
  count(name: string, labels?: Labels): number
}

function matches(have: Labels, want: Labels): boolean {
  return Object.entries(want).every(([k, v]) => have[k] === v)
}

export function createRecordingMetrics(): RecordingMetrics {
  const calls: MetricCall[] = []
  return {
    calls,
    count: (name, labels = {}) =>
      calls
        .filter((c) => c.kind === 'inc' && c.name === name && matches(c.labels, labels))
        .reduce((sum, c) => sum + c.value, 0),
    inc(name, labels = {}, value = 1) {
      calls.push({ kind: 'inc', name, labels, value })
    },
    set(name, labels, value) {
      calls.push({ kind: 'set', name, labels: labels ?? {}, value })
    },
    observe(name, labels, value) {
      calls.push({ kind: 'observe', name, labels: labels ?? {}, value })
    },
    async render() {
      return ''
    },
  }
}
