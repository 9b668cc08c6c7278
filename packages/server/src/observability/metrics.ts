/**
 * @module The Metrics interface: counters, gauges and histograms by name and labels, rendered in the Prometheus
 * text format at /metrics. Names are declared once in metric-names.ts. Labels never carry a vCon uuid or any
 * personal data (cardinality and privacy).
 */

export type Labels = Readonly<Record<string, string>>

export interface Metrics {
  inc(name: string, labels?: Labels, value?: number): void
  set(name: string, labels: Labels | undefined, value: number): void
  /** Records one observation (seconds for durations) into a histogram. */
  observe(name: string, labels: Labels | undefined, value: number): void
  /** Prometheus text exposition format 0.0.4. */
  render(): Promise<string>
}
