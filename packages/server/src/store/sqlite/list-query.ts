/**
 * @module The SQL of `Store.list` on SQLite: the given filters ANDed, keyset pagination on (created_at desc,
 * uuid desc). Values are always bound parameters; only the shape of the statement varies (at most 2^8 shapes,
 * each prepared once).
 */
import type { ListQuery } from '../../ports/store.js'
import { normaliseMailto, normaliseName, normaliseTel } from '../derive-index.js'
import { decodeCursor, filterDate } from '../list-cursor.js'

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
