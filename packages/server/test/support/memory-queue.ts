/**
 * @module A recording Queue for unit tests of the pipeline runner: it keeps what was enqueued and pushed to
 * egress lists, and can be told to fail. Consuming is not simulated (the queue adapters have their own
 * contract suite); tests call runJob directly.
 */
import type { Consumer, DeadLetter, JobInput, Queue } from '../../src/ports/queue.js'

export interface MemoryQueue extends Queue {
  readonly enqueued: JobInput[]
  readonly egress: Map<string, string[]>
  failNextEnqueues(n: number): void
  failNextEgress(n: number): void
}

export function createMemoryQueue(): MemoryQueue {
  const enqueued: JobInput[] = []
  const egress = new Map<string, string[]>()
  let enqueueFailures = 0
  let egressFailures = 0
  return {
    kind: 'sqlite',
    enqueued,
    egress,
    failNextEnqueues: (n) => {
      enqueueFailures = n
    },
    failNextEgress: (n) => {
      egressFailures = n
    },
    async enqueue(jobs) {
      if (enqueueFailures > 0) {
        enqueueFailures--
        throw new Error('memory queue: enqueue failed (injected)')
      }
      enqueued.push(...jobs)
    },
    consume(): Consumer {
      throw new Error('memory queue: consume is not simulated')
    },
    async depth() {
      return enqueued.length
    },
    async deadLetters(): Promise<DeadLetter[]> {
      return []
    },
    async replay() {
      return 0
    },
    async pushEgress(list, uuids) {
      if (egressFailures > 0) {
        egressFailures--
        throw new Error('memory queue: pushEgress failed (injected)')
      }
      egress.set(list, [...(egress.get(list) ?? []), ...uuids])
    },
    async popEgress(list, count) {
      const items = egress.get(list) ?? []
      const out = items.slice(0, count)
      egress.set(list, items.slice(count))
      return out
    },
    async dropVcon() {
      return 0
    },
    async ping() {},
    async close() {},
  }
}
