/**
 * @module A per-key async mutex: appends and tag edits of one vCon are read-modify-write, so two at once in this
 * process would lose one of them. Keys are released (and forgotten) when their last holder finishes.
 */

export interface KeyedLock {
  /** Runs `task` when no other task holds `key`. */
  run<T>(key: string, task: () => Promise<T>): Promise<T>
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<unknown>>()
  return {
    run(key, task) {
      const previous = tails.get(key) ?? Promise.resolve()
      const result = previous.then(task, task)
      const tail = result.then(
        () => undefined,
        () => undefined,
      )
      tails.set(key, tail)
      void tail.then(() => {
        if (tails.get(key) === tail) tails.delete(key)
      })
      return result
    },
  }
}
