/**
 * @module Every metric name the server emits, declared once, with its type and help text (the Prometheus
 * `# TYPE` and `# HELP` lines). Labels never carry a vCon uuid or personal data. Each part of the server adds
 * its own names here, in its own block.
 */

/** The Prometheus type and help text of a metric. */
export interface MetricInfo {
  readonly type: 'counter' | 'gauge' | 'histogram'
  readonly help: string
  /**
   * Histogram bucket upper bounds, ascending (the +Inf bucket is implicit). Default: seconds buckets
   * (0.001 s … 10 s) for names ending in `_seconds`, otherwise 1 … 5,000 for counts and sizes.
   */
  readonly buckets?: readonly number[]
}

// --- HTTP API (src/http) ---

/** Requests answered; labels: method, route (the route pattern, never the raw path), status. */
export const HTTP_REQUESTS = 'vconkit_http_requests_total'
/** Time from request to answer, seconds; labels: method, route. */
export const HTTP_REQUEST_SECONDS = 'vconkit_http_request_duration_seconds'
/** vCons received for ingest; labels: outcome (created, exists, replayed, replaced, invalid, unavailable), form. */
export const INGEST_VCONS = 'vconkit_ingest_vcons_total'
/** vCons per group-commit transaction of the write batcher. */
export const INGEST_BATCH_SIZE = 'vconkit_ingest_batch_size'
/** Duration of one group-commit transaction, seconds. */
export const INGEST_COMMIT_SECONDS = 'vconkit_ingest_commit_duration_seconds'
/** vCons deleted again because their jobs could not be enqueued after the commit (answered 503). */
export const INGEST_COMPENSATIONS = 'vconkit_ingest_compensations_total'
/** vCons put on an ingress list by the API; labels: list, source (new, reingress, dlq_reprocess), as the Conserver. */
export const API_VCONS_ENQUEUED = 'vconkit_api_vcons_enqueued_total'
/** Requests refused by a per-token rate limit (429). */
export const HTTP_RATE_LIMITED = 'vconkit_http_rate_limited_total'
/** Ingest requests refused by admission control because the queue backlog passed its limit (503). */
export const HTTP_ADMISSION_REJECTED = 'vconkit_http_admission_rejected_total'
/** Queue depth as last seen by the API's admission control (all lists). */
export const API_QUEUE_DEPTH = 'vconkit_api_queue_depth'

// --- Composition root and process (src/app) ---

/** Jobs waiting or leased per ingress list, refreshed every few seconds by the server; labels: list. */
export const QUEUE_DEPTH = 'vconkit_queue_depth'
/** 1, labelled with the server version and the Node.js version; labels: version, node. */
export const BUILD_INFO = 'vconkit_build_info'
/** Process start, seconds since the epoch (the standard Prometheus process metric). */
export const PROCESS_START_TIME = 'process_start_time_seconds'
/** Resident memory of the process, bytes (the standard Prometheus process metric). */
export const PROCESS_RESIDENT_MEMORY = 'process_resident_memory_bytes'
/** V8 heap in use, bytes. */
export const NODEJS_HEAP_USED = 'nodejs_heap_used_bytes'
/** Observations dropped because a metric reached its series limit (a label with unbounded values). */
export const METRIC_SERIES_DROPPED = 'vconkit_metric_series_dropped_total'

// --- Pipeline (src/pipeline) ---

/** Time one step took, seconds; labels: chain, step (the step's configured name). */
export const PIPELINE_STEP_SECONDS = 'vconkit_pipeline_step_duration_seconds'
/** Step results; labels: chain, step, outcome (continue, stop, fail, timeout, error). */
export const PIPELINE_STEP_OUTCOMES = 'vconkit_pipeline_step_outcomes_total'
/** Jobs handled by the runner; labels: chain, outcome (done, stopped, failed, missing, opaque, restricted). */
export const PIPELINE_JOBS = 'vconkit_pipeline_jobs_total'
/** Steps not run for want of permission; labels: chain, step, code (restricted, withdrawn, denied, …). */
export const PIPELINE_STEPS_SKIPPED = 'vconkit_pipeline_steps_skipped_total'

/** Type and help of every metric above. */
export const METRIC_INFO: Readonly<Record<string, MetricInfo>> = {
  [HTTP_REQUESTS]: {
    type: 'counter',
    help: 'HTTP requests answered, by method, route and status.',
  },
  [HTTP_REQUEST_SECONDS]: {
    type: 'histogram',
    help: 'HTTP request duration in seconds, by method and route.',
  },
  [INGEST_VCONS]: { type: 'counter', help: 'vCons received for ingest, by outcome and form.' },
  [INGEST_BATCH_SIZE]: { type: 'histogram', help: 'vCons per group-commit transaction.' },
  [INGEST_COMMIT_SECONDS]: {
    type: 'histogram',
    help: 'Duration of one group-commit transaction in seconds.',
  },
  [INGEST_COMPENSATIONS]: {
    type: 'counter',
    help: 'vCons removed again because their jobs could not be enqueued (answered 503).',
  },
  [API_VCONS_ENQUEUED]: {
    type: 'counter',
    help: 'vCons put on an ingress list by the API, by list and source.',
  },
  [HTTP_RATE_LIMITED]: { type: 'counter', help: 'Requests refused by a per-token rate limit.' },
  [HTTP_ADMISSION_REJECTED]: {
    type: 'counter',
    help: 'Ingest requests refused because the queue backlog passed limits.max_queue_depth.',
  },
  [API_QUEUE_DEPTH]: { type: 'gauge', help: 'Queue depth as last seen by admission control.' },
  [QUEUE_DEPTH]: { type: 'gauge', help: 'Jobs waiting or leased, by ingress list.' },
  [BUILD_INFO]: {
    type: 'gauge',
    help: 'Always 1; labelled with the vconkit and Node.js versions.',
  },
  [PROCESS_START_TIME]: {
    type: 'gauge',
    help: 'Start time of the process since the epoch in seconds.',
  },
  [PROCESS_RESIDENT_MEMORY]: { type: 'gauge', help: 'Resident memory size in bytes.' },
  [NODEJS_HEAP_USED]: { type: 'gauge', help: 'V8 heap in use in bytes.' },
  [METRIC_SERIES_DROPPED]: {
    type: 'counter',
    help: 'Observations dropped because their metric reached its series limit, by metric.',
  },
  [PIPELINE_STEP_SECONDS]: {
    type: 'histogram',
    help: 'Duration of one pipeline step in seconds, by chain and step.',
    // Vendor steps (transcription of a long call) take minutes, hence buckets past the default 10 s.
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300],
  },
  [PIPELINE_STEP_OUTCOMES]: {
    type: 'counter',
    help: 'Pipeline step results, by chain, step and outcome (continue, stop, fail, timeout, error).',
  },
  [PIPELINE_JOBS]: {
    type: 'counter',
    help: 'Pipeline jobs handled, by chain and outcome (done, stopped, failed, missing, opaque, restricted).',
  },
  [PIPELINE_STEPS_SKIPPED]: {
    type: 'counter',
    help: 'Pipeline steps (and egress pushes) not run because consent, a withdrawal or a restriction did not permit them, by chain, step and code.',
  },
}
