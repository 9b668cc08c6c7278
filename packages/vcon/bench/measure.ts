/**
 * @module A small timing loop for benchmarks: warm up, then run rounds of a fixed duration and keep the median
 * rate, so one slow round (GC, the other core busy) does not decide the figure.
 */

export interface MeasureOptions {
  /** Milliseconds per round. */
  readonly roundMs?: number
  readonly rounds?: number
  /** Count a thrown error as a completed operation (for inputs that are expected to fail validation). */
  readonly skipErrors?: boolean
}

/** Returns operations per second (median of the rounds). */
export function measure(fn: () => unknown, options: MeasureOptions = {}): number {
  const roundMs = options.roundMs ?? 300
  const rounds = options.rounds ?? 7
  const run = options.skipErrors
    ? () => {
        try {
          fn()
        } catch {
          // the failure is the measured outcome
        }
      }
    : fn
  // A single-round call (from compare) is already warm.
  const warmUntil = performance.now() + (rounds === 1 ? 0 : roundMs)
  while (performance.now() < warmUntil) run()
  const rates: number[] = []
  for (let r = 0; r < rounds; r++) {
    let ops = 0
    const start = performance.now()
    let now = start
    while (now - start < roundMs) {
      for (let i = 0; i < 16; i++) run()
      ops += 16
      now = performance.now()
    }
    rates.push((ops * 1000) / (now - start))
  }
  rates.sort((a, b) => a - b)
  return rates[Math.floor(rates.length / 2)] as number
}

/** Rates of a floor and a subject measured in alternating rounds, so that both see the same machine load. */
export interface Comparison {
  /** Median operations per second of the floor. */
  readonly floor: number
  /** Median operations per second of the subject. */
  readonly subject: number
  /** Median over the round pairs of (subject time ÷ floor time): 1.5 means 50% more than the floor. */
  readonly costVsFloor: number
}

/**
 * Measures `floor` and `subject` in alternating rounds after a long warm-up (the parser's call graph needs
 * about a second to be fully optimised), and reports the median cost ratio over the round pairs.
 */
export function compare(
  floor: () => unknown,
  subject: () => unknown,
  options: MeasureOptions & { readonly warmupMs?: number } = {},
): Comparison {
  const warmupMs = options.warmupMs ?? 1500
  const warmUntil = performance.now() + warmupMs
  while (performance.now() < warmUntil) {
    floor()
    try {
      subject()
    } catch {
      // measured below
    }
  }
  const rounds = options.rounds ?? 9
  const once = { ...options, rounds: 1 }
  const floors: number[] = []
  const subjects: number[] = []
  const ratios: number[] = []
  for (let r = 0; r < rounds; r++) {
    const f = measure(floor, once)
    const s = measure(subject, once)
    floors.push(f)
    subjects.push(s)
    ratios.push(f / s)
  }
  const median = (xs: number[]) =>
    [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number
  return { floor: median(floors), subject: median(subjects), costVsFloor: median(ratios) }
}
