/**
 * @module Process-level metrics read at scrape time: resident memory and V8 heap (the fuzz suite watches that
 * memory stays bounded), the process start time, and a build-info gauge carrying the versions.
 */
import { versionInfo } from '../http/version-info.js'
import {
  BUILD_INFO,
  NODEJS_HEAP_USED,
  PROCESS_RESIDENT_MEMORY,
  PROCESS_START_TIME,
} from '../observability/metric-names.js'
import type { MetricsRegistry } from '../observability/metrics-registry.js'

/** Registers the process metrics on `metrics`; `startedAt` is epoch milliseconds. */
export function registerProcessMetrics(metrics: MetricsRegistry, startedAt: number): void {
  metrics.set(BUILD_INFO, { version: versionInfo().version, node: process.version }, 1)
  metrics.set(PROCESS_START_TIME, undefined, Math.floor(startedAt / 1000))
  metrics.addCollector(() => {
    const memory = process.memoryUsage()
    metrics.set(PROCESS_RESIDENT_MEMORY, undefined, memory.rss)
    metrics.set(NODEJS_HEAP_USED, undefined, memory.heapUsed)
  })
}
