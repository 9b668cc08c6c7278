/**
 * @module The benchmark's load generator, run as a child process so its CPU is not the server's event loop: a
 * bounded number of keep-alive HTTP clients (node's http.Agent) on loopback POST fresh 5 KB vCons for a fixed
 * time, either as fast as answers come (closed loop) or paced to a total rate. With a rate, latency is measured
 * from each request's scheduled time, so a stalled server is not hidden by clients that waited (coordinated
 * omission); a client more than a second behind drops the slots that passed and counts them as missed.
 * With `bulk`, each request carries that many vCons as NDJSON to `POST /v1/vcons:bulk`, and the statuses counted
 * are those of the answer's lines (one per vCon).
 * Prints one JSON line: requests, vCons accepted per second, p50/p99/max request latency in ms, status counts,
 * missed sends.
 */
import { randomUUID } from 'node:crypto'
import { Agent, request } from 'node:http'
import { vcon5k } from './vcon-5k.js'

export interface LoadOptions {
  readonly url: string
  readonly token: string
  readonly durationMs: number
  readonly warmupMs: number
  readonly concurrency: number
  /** Requests per second in total; 0 = closed loop, as fast as possible. */
  readonly rate: number
  /** vCons per request through `POST /v1/vcons:bulk` (NDJSON); 0 or absent: one per `POST /v1/vcons`. */
  readonly bulk?: number
}

export interface LoadResult {
  readonly requests: number
  readonly seconds: number
  /** vCons answered 201 per second. */
  readonly perSecond: number
  readonly p50Ms: number
  readonly p99Ms: number
  readonly maxMs: number
  readonly statuses: Record<string, number>
  /** Paced runs: requests whose scheduled time passed before the client could send them (server too slow). */
  readonly missed: number
}

const options = JSON.parse(process.argv[2] ?? '{}') as LoadOptions
const target = new URL(options.url)
const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency })
// One template; each request swaps in a fresh uuid of the same length, so the client spends no time serialising.
const template = vcon5k('00000000-0000-4000-8000-000000000000')
const at = template.indexOf('00000000-0000-4000-8000-000000000000')
const head = template.slice(0, at)
const tail = template.slice(at + 36)

const bulk = options.bulk ?? 0
const path = target.pathname + (bulk > 0 ? ':bulk' : '') + target.search

function body(): Buffer {
  if (bulk === 0) return Buffer.from(head + randomUUID() + tail)
  const lines: string[] = []
  for (let i = 0; i < bulk; i++) lines.push(head + randomUUID() + tail)
  return Buffer.from(`${lines.join('\n')}\n`)
}

/** Sends one request; answers the count of each status (one per vCon). */
function post(): Promise<Record<string, number>> {
  const payload = body()
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path,
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': bulk > 0 ? 'application/x-ndjson' : 'application/vcon+json',
          'content-length': payload.length,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        if (bulk > 0) res.on('data', (chunk: Buffer) => chunks.push(chunk))
        else res.resume()
        res.on('end', () => {
          if (bulk === 0) return resolve({ [res.statusCode ?? 0]: 1 })
          const counts: Record<string, number> = {}
          for (const line of Buffer.concat(chunks).toString('utf8').split('\n')) {
            if (line === '') continue
            const status = String((JSON.parse(line) as { status: number }).status)
            counts[status] = (counts[status] ?? 0) + 1
          }
          resolve(counts)
        })
        res.on('error', reject)
      },
    )
    req.on('error', reject)
    req.end(payload)
  })
}

/** How far behind its schedule a paced client may fall before it drops slots. */
const LAG_LIMIT_MS = 1000

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

async function main(): Promise<void> {
  const latencies: number[] = []
  const statuses: Record<string, number> = {}
  let missed = 0
  const begin = performance.now()
  const measureFrom = begin + options.warmupMs
  const end = measureFrom + options.durationMs
  const interval = options.rate > 0 ? (1000 * options.concurrency) / options.rate : 0
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      let scheduled = begin + (interval * worker) / options.concurrency
      for (;;) {
        if (interval > 0) {
          const now = performance.now()
          const wait = scheduled - now
          if (wait > 1) await sleep(wait)
          // More than a second behind: the server cannot keep this rate. Drop the slots that passed (counted as
          // missed) rather than queueing an ever longer backlog in the client.
          if (-wait > LAG_LIMIT_MS) {
            const skipped = Math.floor(-wait / interval)
            if (scheduled >= measureFrom) missed += skipped
            scheduled += skipped * interval
          }
        }
        const sent = interval > 0 ? scheduled : performance.now()
        // A paced client that fell behind stops at the end too: what it did not send counts as missed.
        if (sent >= end) return
        if (performance.now() >= end) {
          missed += Math.ceil((end - sent) / interval)
          return
        }
        let counts: Record<string, number>
        try {
          counts = await post()
        } catch {
          counts = { '-1': 1 }
        }
        const done = performance.now()
        if (sent >= measureFrom) {
          latencies.push(done - sent)
          for (const [status, n] of Object.entries(counts)) {
            statuses[status] = (statuses[status] ?? 0) + n
          }
        }
        scheduled += interval
      }
    }),
  )
  const seconds = options.durationMs / 1000
  const sorted = Float64Array.from(latencies).sort()
  const pick = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0
  const result: LoadResult = {
    requests: latencies.length,
    seconds,
    perSecond: Math.round((statuses['201'] ?? 0) / seconds),
    p50Ms: Number(pick(0.5).toFixed(2)),
    p99Ms: Number(pick(0.99).toFixed(2)),
    maxMs: Number((sorted[sorted.length - 1] ?? 0).toFixed(2)),
    statuses,
    missed,
  }
  process.stdout.write(`${JSON.stringify(result)}\n`)
  agent.destroy()
}

await main()
