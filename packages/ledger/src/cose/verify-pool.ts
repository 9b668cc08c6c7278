/**
 * @module A pool of worker threads for signature verification. One ES256 verification costs about 65-85 µs
 * of CPU, more than the rest of a registration or a receipt check; in worker threads it runs on the other cores
 * while the caller's thread decodes, walks proofs and writes storage. (node:crypto's callback form was tried
 * first: on Node 20 its verifications do not spread over the cores.)
 *
 * Verifications travel to a worker in batches, so the cost of crossing threads is paid per batch, not per
 * signature: a batch leaves when it is full or when the turn of the event loop that filled it ends. Sending full
 * batches at once lets the workers verify while the caller is still decoding the next receipts (measured: 7,300
 * to 10,300 distinct receipts/s on two cores against one message per turn). Keys cross once per worker
 * (KeyObjects can be posted). Workers start on first use, are unreferenced while idle (an idle pool never
 * keeps a process alive), and a worker that fails has its batch verified on the calling thread instead: a
 * failure never turns into a verdict, valid or not, that the signature did not earn.
 */
import type { KeyObject } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import { COSE_ALGORITHMS, type CoseAlgorithmName, verifyBytes } from './algorithms.js'

/** Verifies signatures off the calling thread. */
export interface VerifyPool {
  /** True when `signature` is `alg`'s signature of `data` under `key` (the same answer as `verifyBytes`). */
  verify(
    alg: CoseAlgorithmName,
    key: KeyObject,
    data: Uint8Array,
    signature: Uint8Array,
  ): Promise<boolean>
  /** Stops the workers; later calls verify on the calling thread. */
  close(): Promise<void>
}

/**
 * The worker's code, evaluated as CommonJS: a string keeps the pool free of a separate entry file, which would
 * resolve differently from the TypeScript sources and from the built package.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { verify } = require('node:crypto')
const keys = new Map()
parentPort.on('message', (message) => {
  for (const [id, key] of message.keys) keys.set(id, key)
  const out = new Uint8Array(message.jobs.length)
  for (let i = 0; i < message.jobs.length; i++) {
    const job = message.jobs[i]
    const key = keys.get(job.key)
    try {
      const ok = job.digest === null
        ? verify(null, job.data, key, job.signature)
        : verify(job.digest, job.data, { key, dsaEncoding: 'ieee-p1363' }, job.signature)
      out[i] = ok ? 1 : 0
    } catch {
      out[i] = 0
    }
  }
  parentPort.postMessage({ id: message.id, out }, [out.buffer])
})
`

/** Verifications that make a batch worth sending before the turn of the event loop ends. */
const FLUSH_AT = 16

interface Job {
  readonly alg: CoseAlgorithmName
  readonly key: KeyObject
  readonly data: Uint8Array
  readonly signature: Uint8Array
  readonly resolve: (valid: boolean) => void
}

interface Lane {
  readonly worker: Worker
  /** Key ids this worker holds. */
  readonly keys: Set<number>
  /** Batches sent and not answered, by message id. */
  readonly inFlight: Map<number, readonly Job[]>
  failed: boolean
}

/** Options of `createVerifyPool`. */
export interface VerifyPoolOptions {
  /** Worker threads. Default: the cores beyond the calling thread's, at least 1. */
  readonly threads?: number
}

/** Verifies `job` on the calling thread: the fallback when no worker can. */
function verifyHere(job: Job): void {
  job.resolve(verifyBytes(job.alg, job.key, job.data, job.signature))
}

/** Creates a pool (see the module comment); its workers start on the first verification. */
export function createVerifyPool(options: VerifyPoolOptions = {}): VerifyPool {
  const threads = Math.max(1, options.threads ?? availableParallelism() - 1)
  const lanes: Lane[] = []
  const keyIds = new WeakMap<KeyObject, number>()
  let nextKeyId = 0
  let nextMessageId = 0
  let queued: Job[] = []
  let flushScheduled = false
  let closed = false

  function fail(lane: Lane): void {
    if (lane.failed) return
    lane.failed = true
    lanes.splice(lanes.indexOf(lane), 1)
    for (const jobs of lane.inFlight.values()) for (const job of jobs) verifyHere(job)
    lane.inFlight.clear()
    void lane.worker.terminate()
  }

  function startLane(): Lane {
    const worker = new Worker(WORKER_SOURCE, { eval: true })
    const lane: Lane = { worker, keys: new Set(), inFlight: new Map(), failed: false }
    worker.on('message', (message: { id: number; out: Uint8Array }) => {
      const jobs = lane.inFlight.get(message.id)
      if (jobs === undefined) return
      lane.inFlight.delete(message.id)
      if (lane.inFlight.size === 0) worker.unref()
      for (const [i, job] of jobs.entries()) job.resolve(message.out[i] === 1)
    })
    worker.on('error', () => fail(lane))
    worker.on('exit', () => fail(lane))
    worker.unref()
    lanes.push(lane)
    return lane
  }

  function send(lane: Lane, jobs: readonly Job[]): void {
    const keys: [number, KeyObject][] = []
    const wire = jobs.map((job) => {
      let id = keyIds.get(job.key)
      if (id === undefined) {
        id = nextKeyId++
        keyIds.set(job.key, id)
      }
      if (!lane.keys.has(id)) {
        lane.keys.add(id)
        keys.push([id, job.key])
      }
      return {
        key: id,
        digest: COSE_ALGORITHMS[job.alg].digest,
        data: job.data,
        signature: job.signature,
      }
    })
    const id = nextMessageId++
    lane.inFlight.set(id, jobs)
    lane.worker.ref()
    try {
      lane.worker.postMessage({ id, keys, jobs: wire })
    } catch {
      fail(lane)
    }
  }

  function flush(): void {
    const jobs = queued
    queued = []
    if (jobs.length === 0) return
    if (closed) {
      for (const job of jobs) verifyHere(job)
      return
    }
    while (lanes.length < threads) startLane()
    // An equal share per worker; a batch too small to split goes to the least busy one.
    const share = Math.ceil(jobs.length / lanes.length)
    const byLoad = [...lanes].sort((a, b) => a.inFlight.size - b.inFlight.size)
    for (let i = 0, lane = 0; i < jobs.length; i += share, lane++) {
      send(byLoad[lane] as Lane, jobs.slice(i, i + share))
    }
  }

  return {
    verify(alg, key, data, signature) {
      if (signature.length !== COSE_ALGORITHMS[alg].signatureLength) return Promise.resolve(false)
      return new Promise<boolean>((resolve) => {
        queued.push({ alg, key, data, signature, resolve })
        // A full batch leaves at once, so the workers verify it while this thread prepares the next.
        if (queued.length >= FLUSH_AT) flush()
        else if (!flushScheduled) {
          flushScheduled = true
          setImmediate(() => {
            flushScheduled = false
            flush()
          })
        }
      })
    },
    async close() {
      closed = true
      const running = [...lanes]
      lanes.length = 0
      for (const lane of running) {
        lane.failed = true
        for (const jobs of lane.inFlight.values()) for (const job of jobs) verifyHere(job)
        lane.inFlight.clear()
      }
      await Promise.all(running.map((lane) => lane.worker.terminate()))
    },
  }
}

/** Verifies on the calling thread, in the same shape as a pool: what callers without a pool use. */
export const VERIFY_HERE: VerifyPool = {
  verify: (alg, key, data, signature) => Promise.resolve(verifyBytes(alg, key, data, signature)),
  close: async () => undefined,
}
