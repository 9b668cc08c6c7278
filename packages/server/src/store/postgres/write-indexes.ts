/**
 * @module Writes the derived index rows (parties, tags, refs, full text) of freshly written vCons, one multi-row
 * statement per table whatever the number of vCons, inside the caller's transaction.
 */
import type { PoolClient } from 'pg'
import type { NewVcon } from '../../ports/store.js'

/** Inserts the index rows of `records` into schema `s` (quoted); the vCon rows must exist already. */
export async function writeIndexes(
  client: PoolClient,
  s: string,
  records: readonly NewVcon[],
): Promise<void> {
  if (records.length === 0) return
  const party = { uuid: [] as string[], kind: [] as string[], value: [] as string[] }
  const tag = { uuid: [] as string[], tag: [] as string[] }
  const text = { uuid: [] as string[], text: [] as string[] }
  const ref = { uuid: [] as string[], kind: [] as string[], value: [] as string[] }
  for (const { uuid, index } of records) {
    const add = (kind: string, values: readonly string[]) => {
      for (const value of values) {
        party.uuid.push(uuid)
        party.kind.push(kind)
        party.value.push(value)
      }
    }
    add('tel', index.tels)
    add('mailto', index.mailtos)
    add('name', index.names)
    for (const value of index.tags) {
      tag.uuid.push(uuid)
      tag.tag.push(value)
    }
    for (const r of index.refs ?? []) {
      ref.uuid.push(uuid)
      ref.kind.push(r.kind)
      ref.value.push(r.value)
    }
    if (index.text !== '') {
      text.uuid.push(uuid)
      text.text.push(index.text)
    }
  }
  if (party.uuid.length > 0) {
    await client.query(
      `INSERT INTO ${s}.vcon_parties (uuid, kind, value)` +
        ' SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING',
      [party.uuid, party.kind, party.value],
    )
  }
  if (tag.uuid.length > 0) {
    await client.query(
      `INSERT INTO ${s}.vcon_tags (uuid, tag)` +
        ' SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING',
      [tag.uuid, tag.tag],
    )
  }
  if (ref.uuid.length > 0) {
    await client.query(
      `INSERT INTO ${s}.vcon_refs (uuid, kind, value)` +
        ' SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) ON CONFLICT DO NOTHING',
      [ref.uuid, ref.kind, ref.value],
    )
  }
  if (text.uuid.length > 0) {
    await client.query(
      `INSERT INTO ${s}.vcon_text (uuid, text) SELECT * FROM unnest($1::text[], $2::text[])`,
      [text.uuid, text.text],
    )
  }
}
