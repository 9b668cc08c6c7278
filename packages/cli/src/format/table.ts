/**
 * @module Left-aligned text columns for terminal output, without a table library.
 */

/** Pads every column but the last to its widest cell (capped, so one long cell cannot push the rest away). */
export function alignColumns(
  rows: readonly (readonly string[])[],
  options: { gap?: string; maxWidth?: number } = {},
): string[] {
  const gap = options.gap ?? '  '
  const maxWidth = options.maxWidth ?? 48
  const widths: number[] = []
  for (const row of rows) {
    row.forEach((cell, i) => {
      if (i === row.length - 1) return
      widths[i] = Math.min(maxWidth, Math.max(widths[i] ?? 0, cell.length))
    })
  }
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join(gap)
      .trimEnd(),
  )
}

/** `1 file`, `2 files`. */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`
}
