import pLimit from 'p-limit'

/** `fn` over every item, at most `concurrency` at once, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const limit = pLimit(concurrency)
  return Promise.all(items.map((item) => limit(() => fn(item))))
}

/** Runs a task in a bounded pool. */
export interface Pool {
  <T>(task: () => Promise<T>): Promise<T>
  /**
   * Aborted by the pool's first failed task (the reason is its error): work beside the pool
   * (the bulk tag pages) checks it to stop as well.
   */
  readonly signal: AbortSignal
}

/**
 * A pool of at most `concurrency` tasks at once that stops at its first failure: the callers
 * await it with Promise.all, which fails on the first rejection, so a task queued behind that
 * would only make calls whose answer nobody reads. Tasks not yet started then reject with the
 * first error without running; those already running finish.
 */
export function failFastPool(concurrency: number): Pool {
  const limit = pLimit(concurrency)
  const stop = new AbortController()
  const run = <T>(task: () => Promise<T>): Promise<T> =>
    limit(async () => {
      stop.signal.throwIfAborted()
      try {
        return await task()
      } catch (err) {
        if (!stop.signal.aborted) stop.abort(err)
        throw err
      }
    })
  return Object.assign(run, { signal: stop.signal })
}
