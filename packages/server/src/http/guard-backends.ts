/**
 * @module The store and queue as the HTTP layer sees them: every failure that is not already a ServerError
 * becomes 503 UNAVAILABLE with Retry-After (to-server-error.ts `unavailable`). An unreachable database or Redis is
 * a "retry later" for the client, never a 500; the cause still goes to the log with the request id.
 */
import type { Queue } from '../ports/queue.js'
import type { Store } from '../ports/store.js'
import { unavailable } from './to-server-error.js'

function guard<T extends object>(target: T, what: 'store' | 'queue'): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver)
      if (typeof value !== 'function') return value
      return async (...args: unknown[]) => {
        try {
          return await (value as (...a: unknown[]) => unknown).apply(obj, args)
        } catch (cause) {
          throw unavailable(what, cause)
        }
      }
    },
  })
}

/** The store with failures turned into 503. */
export function guardStore(store: Store): Store {
  return guard(store, 'store')
}

/** The queue with failures turned into 503 (`consume` is not used by the HTTP layer). */
export function guardQueue(queue: Queue): Queue {
  return guard(queue, 'queue')
}
