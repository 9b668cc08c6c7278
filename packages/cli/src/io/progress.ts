/**
 * @module A one-line progress bar on stderr, shown only on a terminal and only for long runs, so that piped
 * output and logs never contain control characters. It never writes to stdout.
 */

/** Where the bar is drawn: a terminal stream (stderr). */
export interface ProgressTarget {
  readonly isTTY: boolean
  readonly columns: number | undefined
  write(text: string): void
}

/** Runs with this many inputs or fewer finish too fast for a bar to help. */
export const PROGRESS_MIN_ITEMS = 20

/** Redraw at most this often, so that a fast run does not spend its time painting the terminal. */
const REDRAW_MS = 80

/** The progress of a run over `total` inputs. */
export interface Progress {
  /** Marks one more input as done. */
  tick(): void
  /** Removes the bar before other output is written to the same terminal, then `resume()` redraws it. */
  clear(): void
  resume(): void
  /** Removes the bar for good. */
  done(): void
}

const SILENT: Progress = { tick() {}, clear() {}, resume() {}, done() {} }

/** A bar when `target` is a terminal and `total` exceeds PROGRESS_MIN_ITEMS; otherwise a no-op. */
export function createProgress(
  target: ProgressTarget,
  total: number,
  now: () => number = Date.now,
): Progress {
  if (!target.isTTY || total <= PROGRESS_MIN_ITEMS) return SILENT
  let doneCount = 0
  let shown = false
  let lastDraw = Number.NEGATIVE_INFINITY

  const draw = (): void => {
    target.write(`\r${renderBar(doneCount, total, target.columns ?? 80)}\u001b[K`)
    shown = true
    lastDraw = now()
  }
  const erase = (): void => {
    if (shown) target.write('\r\u001b[K')
    shown = false
  }

  return {
    tick() {
      doneCount++
      if (doneCount === total || now() - lastDraw >= REDRAW_MS) draw()
    },
    clear: erase,
    resume() {
      if (doneCount < total) draw()
    },
    done: erase,
  }
}

/** The bar text for a terminal `columns` wide, e.g. `[######------]  120/500 files`. */
export function renderBar(done: number, total: number, columns: number): string {
  const counter = ` ${String(done).padStart(String(total).length)}/${total} files`
  const width = Math.max(10, Math.min(40, columns - counter.length - 3))
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}]${counter}`
}
