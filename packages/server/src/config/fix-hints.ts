/**
 * @module The "write this instead" part of configuration errors: the closest known key or value, and the
 * number a unit-bearing string means ("5s" → 5000 milliseconds, "10MiB" → 10485760 bytes).
 */

/** Edit distance (insertions, deletions, substitutions, and swaps of two neighbours: "stpes" → "steps"). */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1
  const cols = b.length + 1
  const d: number[][] = Array.from({ length: rows }, (_, i) =>
    Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      const row = d[i] as number[]
      const above = d[i - 1] as number[]
      let best = Math.min(
        (above[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (above[j - 1] as number) + cost,
      )
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, ((d[i - 2] as number[])[j - 2] as number) + 1)
      }
      row[j] = best
    }
  }
  return (d[rows - 1] as number[])[cols - 1] as number
}

/** camelCase or kebab-case → snake_case (`dataDir` → `data_dir`), the spelling every file key uses. */
export function toSnakeCase(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase()
}

/**
 * The known word closest to `given`, or undefined when none is close enough to be a likely typo. Spelling
 * variants (case, camelCase, dashes) win over edit distance.
 */
export function closest(given: string, known: readonly string[]): string | undefined {
  const normal = toSnakeCase(given)
  const same = known.find((k) => k === normal || k.toLowerCase() === given.toLowerCase())
  if (same !== undefined) return same
  let best: string | undefined
  let bestDistance = Number.POSITIVE_INFINITY
  for (const candidate of known) {
    const distance = editDistance(normal, candidate)
    if (distance < bestDistance) {
      best = candidate
      bestDistance = distance
    }
  }
  // Short words tolerate one or two edits; longer ones about a third of their length.
  const allowed = Math.max(2, Math.floor(normal.length / 3))
  return bestDistance <= allowed ? best : undefined
}

const DURATION_UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  sec: 1000,
  secs: 1000,
  second: 1000,
  seconds: 1000,
  m: 60_000,
  min: 60_000,
  mins: 60_000,
  minute: 60_000,
  minutes: 60_000,
  h: 3_600_000,
  hour: 3_600_000,
  hours: 3_600_000,
}

/** "5s", "1.5 m", "250ms" → milliseconds; undefined for anything else. */
export function parseDuration(text: string): number | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*$/i.exec(text)
  if (match === null) return undefined
  const factor = DURATION_UNITS[(match[2] ?? '').toLowerCase()]
  if (factor === undefined) return undefined
  return Math.round(Number(match[1]) * factor)
}

const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1,
  k: 1000,
  kb: 1000,
  kib: 1024,
  m: 1000 ** 2,
  mb: 1000 ** 2,
  mib: 1024 ** 2,
  g: 1000 ** 3,
  gb: 1000 ** 3,
  gib: 1024 ** 3,
}

/** "10MiB", "512 kb", "1GB" → bytes (kB = 1000, KiB = 1024); undefined for anything else. */
export function parseSize(text: string): number | undefined {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*$/i.exec(text)
  if (match === null) return undefined
  const factor = SIZE_UNITS[(match[2] ?? '').toLowerCase()]
  if (factor === undefined) return undefined
  return Math.round(Number(match[1]) * factor)
}

/** A value as it appears in an error: strings quoted, objects and lists by kind, long values cut. */
export function showValue(value: unknown): string {
  if (value === null) return 'nothing (null)'
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'object') return 'a mapping'
  const text = typeof value === 'string' ? JSON.stringify(value) : String(value)
  return text.length > 60 ? `${text.slice(0, 57)}…` : text
}
