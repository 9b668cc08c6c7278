/**
 * @module The human summary `vcon inspect` prints for an unsigned vCon: header fields, then one table each for
 * parties (core draft §4.2), dialogs (§4.3), analyses (§4.5) and attachments (§4.4), then the warnings.
 */
import type { Issue, Vcon } from '@vconkit/vcon'
import { describeContent, describeTags, truncate } from './content-summary.js'
import { formatDuration } from './duration.js'
import { formatIssueLines } from './issue-lines.js'
import { alignColumns } from './table.js'

/** What to print and how much of it. */
export interface InspectOptions {
  /** Rows shown per table before "… and N more"; Infinity with --all. */
  readonly maxRows: number
}

/** Everything the summary needs about one loaded vCon. */
export interface InspectSubject {
  readonly display: string
  readonly version: string | null
  readonly vcon: Vcon
  readonly issues: readonly Issue[]
}

type Loose = Readonly<Record<string, unknown>>

function text(value: unknown): string {
  if (value === undefined || value === null || value === '') return '-'
  return typeof value === 'string' ? value : JSON.stringify(value)
}

function list(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return 'none'
  return value.map((v) => text(v)).join(', ')
}

/** Indices as people write them: `0`, `0, 1`; nested channel arrays as `1+2`, unused channels as `-`. */
export function formatIndices(value: unknown): string {
  if (value === undefined) return '-'
  if (value === null) return '-'
  if (typeof value === 'number') return String(value)
  if (Array.isArray(value)) {
    return value
      .map((v) => (Array.isArray(v) ? v.map((x) => text(x)).join('+') || '-' : text(v)))
      .join(', ')
  }
  return text(value)
}

function section(
  title: string,
  count: number,
  rows: string[][],
  options: InspectOptions,
  note = '',
): string[] {
  if (count === 0) return [`${title}: none`]
  const shown = rows.slice(0, options.maxRows + 1)
  const lines = [`${title} (${count}${note})`, ...alignColumns(shown).map((l) => `  ${l}`)]
  const hidden = count - (shown.length - 1)
  if (hidden > 0) lines.push(`  … and ${hidden} more (use --all to list them)`)
  return lines
}

function asArray(value: unknown): readonly Loose[] {
  return Array.isArray(value) ? (value as Loose[]) : []
}

function partiesSection(vcon: Vcon, options: InspectOptions): string[] {
  const parties = asArray(vcon.parties)
  const rows = [['#', 'name', 'tel', 'mailto', 'other']]
  parties.slice(0, options.maxRows).forEach((p, i) => {
    const other: string[] = []
    for (const key of ['sip', 'did', 'uuid', 'type', 'role', 'org', 'dept']) {
      if (p[key] !== undefined) other.push(`${key} ${truncate(text(p[key]), 40)}`)
    }
    rows.push([String(i), text(p.name), text(p.tel), text(p.mailto), other.join(', ') || '-'])
  })
  return section('Parties', parties.length, rows, options)
}

/** What a dialog without content is about: its disposition, transfer roles or member recordings. */
function dialogDetail(d: Loose): string {
  if (d.type === 'incomplete') return `disposition ${text(d.disposition)}`
  if (d.type === 'transfer') {
    return ['transferee', 'transferor', 'transfer_target', 'original', 'target_dialog']
      .filter((k) => d[k] !== undefined)
      .map((k) => `${k} ${formatIndices(d[k])}`)
      .join(', ')
  }
  if (d.type === 'recording-set') return `recordings ${formatIndices(d.recordings)}`
  return describeContent(d)
}

function dialogsSection(vcon: Vcon, options: InspectOptions): string[] {
  const dialogs = asArray(vcon.dialog)
  let total = 0
  const rows = [['#', 'type', 'start', 'duration', 'parties', 'content']]
  dialogs.forEach((d, i) => {
    if (typeof d.duration === 'number' && Number.isFinite(d.duration)) total += d.duration
    if (i >= options.maxRows) return
    const parties =
      formatIndices(d.parties) + (d.originator === undefined ? '' : ` (from ${text(d.originator)})`)
    const duration = d.duration === undefined ? '-' : formatDuration(d.duration)
    const type = Object.keys(d).length === 0 ? '(empty)' : text(d.type)
    rows.push([String(i), type, text(d.start), duration, parties, dialogDetail(d)])
  })
  const note = total > 0 ? `, ${formatDuration(total)} in all` : ''
  return section('Dialogs', dialogs.length, rows, options, note)
}

function analysesSection(vcon: Vcon, options: InspectOptions): string[] {
  const analyses = asArray(vcon.analysis)
  const rows = [['#', 'type', 'vendor', 'product', 'dialogs', 'content']]
  analyses.slice(0, options.maxRows).forEach((a, i) => {
    rows.push([
      String(i),
      text(a.type),
      truncate(text(a.vendor), 32),
      truncate(text(a.product), 32),
      formatIndices(a.dialog),
      describeContent(a),
    ])
  })
  return section('Analyses', analyses.length, rows, options)
}

function attachmentsSection(vcon: Vcon, options: InspectOptions): string[] {
  const attachments = asArray(vcon.attachments)
  const rows = [['#', 'purpose', 'party', 'dialog', 'start', 'content']]
  attachments.slice(0, options.maxRows).forEach((a, i) => {
    const tags = a.purpose === 'tags' ? describeTags(a.body) : undefined
    const content = tags === undefined ? describeContent(a) : `tags: ${truncate(tags, 80)}`
    rows.push([
      String(i),
      truncate(text(a.purpose), 32),
      text(a.party),
      text(a.dialog),
      text(a.start),
      content,
    ])
  })
  return section('Attachments', attachments.length, rows, options)
}

function referenceLine(label: string, ref: unknown): string[] {
  if (ref === undefined || ref === null || typeof ref !== 'object') return []
  const r = ref as Loose
  const parts = ['type', 'uuid', 'url']
    .filter((k) => r[k] !== undefined)
    .map((k) => `${k} ${text(r[k])}`)
  return [`${label.padEnd(12)}${parts.join(', ') || '(empty)'}`]
}

/** The warnings (repairs made while upgrading, SHOULDs the vCon breaks), as issue lines. */
export function warningsSection(warnings: readonly Issue[], options: InspectOptions): string[] {
  if (warnings.length === 0) return ['Warnings: none']
  const lines = [
    `Warnings (${warnings.length})`,
    ...formatIssueLines(warnings.slice(0, options.maxRows)),
  ]
  const hidden = warnings.length - options.maxRows
  if (hidden > 0) lines.push(`  … and ${hidden} more (use --all to list them)`)
  return lines
}

/** The lines of the summary. */
export function formatInspectVcon(subject: InspectSubject, options: InspectOptions): string[] {
  const { vcon } = subject
  const versionText =
    subject.version === null || subject.version === '0.4.0'
      ? '0.4.0'
      : `0.4.0 (upgraded from ${subject.version})`
  const header: [string, string][] = [
    ['File', subject.display],
    ['Form', 'unsigned'],
    ['Version', versionText],
    ['UUID', text(vcon.uuid)],
    ['Created', text(vcon.created_at)],
  ]
  if (vcon.updated_at !== undefined) header.push(['Updated', text(vcon.updated_at)])
  if (vcon.subject !== undefined) header.push(['Subject', text(vcon.subject)])
  header.push(['Extensions', list(vcon.extensions)], ['Critical', list(vcon.critical)])
  const lines = header.map(([label, value]) => `${label.padEnd(12)}${value}`)
  lines.push(...referenceLine('Redacted', vcon.redacted), ...referenceLine('Amended', vcon.amended))
  const warnings = subject.issues.filter((i) => i.severity === 'warning')
  const warningLines = warningsSection(warnings, options)
  return [
    ...lines,
    '',
    ...partiesSection(vcon, options),
    '',
    ...dialogsSection(vcon, options),
    '',
    ...analysesSection(vcon, options),
    '',
    ...attachmentsSection(vcon, options),
    '',
    ...warningLines,
  ]
}
