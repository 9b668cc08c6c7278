/**
 * @module The SQL of `Store.list` on SQLite: the given filters ANDed, keyset pagination on (created_at desc,
 * uuid desc). Values are always bound parameters; only the shape of the statement varies (a few hundred
 * shapes at most, each prepared once).
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
import { fts5Query, searchTerms } from '../search-terms.js'

export interface ListSql {
  readonly sql: string
  readonly params: readonly (string | number)[]
}

/**
 * The statement for one page (it fetches one row more than the page, to know whether there is a next page), or
 * undefined when a filter can match nothing (a tel with no digits, an empty mailto or name).
 */
export function sqliteListSql(query: ListQuery, limit: number): ListSql | undefined {
  const where: string[] = []
  const params: (string | number)[] = []
  if (query.since !== undefined) {
    where.push('v.created_at >= ?')
    params.push(filterDate('since', query.since))
  }
  if (query.until !== undefined) {
    where.push('v.created_at < ?')
    params.push(filterDate('until', query.until))
  }
  const parties: [string, string | undefined][] = [
    ['tel', query.tel === undefined ? undefined : normaliseTel(query.tel)],
    ['mailto', query.mailto === undefined ? undefined : normaliseMailto(query.mailto)],
    ['name', query.name === undefined ? undefined : normaliseName(query.name)],
  ]
  for (const [kind, value] of parties) {
    if (value === undefined) continue
    if (value === '') return undefined
    where.push(`v.uuid IN (SELECT uuid FROM vcon_parties WHERE kind = '${kind}' AND value = ?)`)
    params.push(value)
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
    // The kind is a fixed word or a bound parameter; the values are bound as one JSON array.
    const kinds = kind === 'lineage' ? "kind IN ('amended', 'redacted')" : 'kind = ?'
    if (kind !== 'lineage') params.push(kind)
    where.push(
      `v.uuid IN (SELECT uuid FROM vcon_refs WHERE ${kinds} AND value IN (SELECT value FROM json_each(?)))`,
    )
    params.push(JSON.stringify(wanted))
  }
  if (query.text !== undefined) {
    const terms = searchTerms(query.text)
    if (terms.length === 0) return undefined
    where.push('v.fts_rowid IN (SELECT rowid FROM vcon_fts WHERE vcon_fts MATCH ?)')
    params.push(fts5Query(terms))
  }
  if (query.tag !== undefined) {
    if (query.tag.includes(':')) {
      where.push('v.uuid IN (SELECT uuid FROM vcon_tags WHERE tag = ?)')
      params.push(query.tag)
    } else {
      // A bare key matches any value: the range ['key:', 'key;') under binary collation (';' follows ':').
      where.push('v.uuid IN (SELECT uuid FROM vcon_tags WHERE tag >= ? AND tag < ?)')
      params.push(`${query.tag}:`, `${query.tag};`)
    }
  }
  if (query.subject !== undefined) {
    where.push('instr(vck_lower(v.subject), ?) > 0')
    params.push(query.subject.toLowerCase())
  }
  if (query.after !== undefined) {
    const position = decodeCursor(query.after)
    where.push('(v.created_at, v.uuid) < (?, ?)')
    params.push(position.createdAt, position.uuid)
  }
  const sql =
    'SELECT v.uuid AS uuid, v.created_at AS createdAt, v.subject AS subject FROM vcons v' +
    (where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`) +
    ' ORDER BY v.created_at DESC, v.uuid DESC LIMIT ?'
  params.push(limit + 1)
  return { sql, params }
}
