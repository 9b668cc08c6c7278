/**
 * @module Runs async work over a list with at most N tasks in flight, so packing a vCon with many references
 * neither fetches them one by one nor opens them all at once.
 */

/**
 * Maps `items` through `task` with at most `limit` tasks running, keeping the input order in the result.
 * After the first failure no new task starts, and the promise rejects with that first error once the tasks
 * already running have settled (so nothing keeps working in the background after the caller sees the error).
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length)
  let next = 0
  let failed = false
  let firstError: unknown
  async function worker(): Promise<void> {
    while (!failed && next < items.length) {
      const index = next++
      try {
        results[index] = await task(items[index] as T, index)
      } catch (error) {
        if (!failed) {
          failed = true
          firstError = error
        }
      }
    }
  }
  const workers = Math.max(1, Math.min(limit, items.length))
  await Promise.all(Array.from({ length: workers }, () => worker()))
  if (failed) throw firstError
  return results
}
