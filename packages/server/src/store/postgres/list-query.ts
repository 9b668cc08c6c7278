/**
 * @module The SQL of `Store.list` on PostgreSQL: the same filters and keyset order as the SQLite adapter
 * (store/sqlite/list-query.ts), with numbered parameters. Values are always bound, never spliced in.
 */
import type { ListQuery } from '../../ports/store.js'
import {
  normaliseDid,
  normaliseMailto,
  normaliseName,
  normaliseSip,
  normaliseTel,
} from '../derive-index.js'
import { decodeCursor, filterDate } from '../list-cursor.js'
import { searchTerms } from '../search-terms.js'

export interface ListSql {
  readonly sql: string
  readonly params: readonly (string | number)[]
}

/**
 * The statement for one page of the Store in schema `s` (quoted), fetching one row more than the page; undefined
 * when a filter can match nothing (a tel with no digits, an empty mailto or name).
 */
export function postgresListSql(s: string, query: ListQuery, limit: number): ListSql | undefined {
  const where: string[] = []
  const params: (string | number)[] = []
  const param = (value: string | number): string => {
    params.push(value)
    return `$${params.length}`
  }
  if (query.since !== undefined) {
    where.push(`v.created_at >= ${param(filterDate('since', query.since))}::timestamptz`)
  }
  if (query.until !== undefined) {
    where.push(`v.created_at < ${param(filterDate('until', query.until))}::timestamptz`)
  }
  const parties: [string, string | undefined][] = [
    ['tel', query.tel === undefined ? undefined : normaliseTel(query.tel)],
    ['mailto', query.mailto === undefined ? undefined : normaliseMailto(query.mailto)],
    ['name', query.name === undefined ? undefined : normaliseName(query.name)],
  ]
  for (const [kind, value] of parties) {
    if (value === undefined) continue
    if (value === '') return undefined
    where.push(
      `v.uuid IN (SELECT uuid FROM ${s}.vcon_parties WHERE kind = '${kind}' AND value = ${param(value)})`,
    )
  }
  const refs: [string, readonly string[] | undefined][] = [
    ['sip', query.sip === undefined ? undefined : [normaliseSip(query.sip)]],
    ['did', query.did === undefined ? undefined : [normaliseDid(query.did)]],
    [query.refs?.kind ?? '', query.refs?.values],
    [
      'lineage',
      query.derivedFrom === undefined ? undefined : [query.derivedFrom.trim().toLowerCase()],
    ],
  ]
  for (const [kind, values] of refs) {
    if (values === undefined) continue
    const wanted = values.filter((v) => v !== '')
    if (wanted.length === 0) return undefined
    const kinds = kind === 'lineage' ? "kind IN ('amended', 'redacted')" : `kind = ${param(kind)}`
    where.push(
      `v.uuid IN (SELECT uuid FROM ${s}.vcon_refs WHERE ${kinds} AND value IN (SELECT json_array_elements_text(${param(JSON.stringify(wanted))}::json)))`,
    )
  }
  if (query.text !== undefined) {
    // The same words as search() (search-terms.ts), ANDed by plainto_tsquery.
    const terms = searchTerms(query.text)
    if (terms.length === 0) return undefined
    where.push(
      `v.uuid IN (SELECT uuid FROM ${s}.vcon_text WHERE tsv @@ plainto_tsquery('simple', ${param(terms.join(' '))}))`,
    )
  }
  if (query.tag !== undefined) {
    if (query.tag.includes(':')) {
      where.push(`v.uuid IN (SELECT uuid FROM ${s}.vcon_tags WHERE tag = ${param(query.tag)})`)
    } else {
      // A bare key matches any value: ['key:', 'key;') in byte order (the column is COLLATE "C").
      const from = param(`${query.tag}:`)
      const to = param(`${query.tag};`)
      where.push(`v.uuid IN (SELECT uuid FROM ${s}.vcon_tags WHERE tag >= ${from} AND tag < ${to})`)
    }
  }
  if (query.subject !== undefined) {
    where.push(`strpos(lower(v.subject), ${param(query.subject.toLowerCase())}) > 0`)
  }
  if (query.after !== undefined) {
    const position = decodeCursor(query.after)
    where.push(
      `(v.created_at, v.uuid) < (${param(position.createdAt)}::timestamptz, ${param(position.uuid)})`,
    )
  }
  const sql =
    `SELECT v.uuid, v.created_at, v.subject FROM ${s}.vcons v` +
    (where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`) +
    ` ORDER BY v.created_at DESC, v.uuid DESC LIMIT ${param(limit + 1)}`
  return { sql, params }
}
