/**
 * @module A Logger that keeps its lines in memory, for assertions (and for checking that no secret is logged).
 */
import type { Logger, LogLevel } from '../../src/observability/logger.js'

export interface LogLine {
  readonly level: Exclude<LogLevel, 'silent'>
  readonly msg: string
  readonly fields: Readonly<Record<string, unknown>>
}

export interface CollectingLogger extends Logger {
  readonly lines: LogLine[]
  /** Every line as JSON text, joined (to search for leaked secrets). */
  text(): string
}

export function createCollectingLogger(
  lines: LogLine[] = [],
  base: Readonly<Record<string, unknown>> = {},
): CollectingLogger {
  const add =
    (level: LogLine['level']) =>
    (msg: string, fields: Readonly<Record<string, unknown>> = {}): void => {
      lines.push({ level, msg, fields: { ...base, ...fields } })
    }
  return {
    lines,
    text: () => lines.map((l) => JSON.stringify(l)).join('\n'),
    debug: add('debug'),
    info: add('info'),
    warn: add('warn'),
    error: add('error'),
    child: (fields) => createCollectingLogger(lines, { ...base, ...fields }),
  }
}
