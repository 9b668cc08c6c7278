/**
 * Exploration (not part of `npm run bench`): insert rate of the full-text row alone under FTS5 table options, on the
 * text the store indexes for the benchmark's 5 KB vCon (subject + plain transcript), in transactions of 256 with
 * WAL and synchronous=FULL, to see which options would make the store's write transaction cheaper.
 * Run: `cd packages/server && node --conditions=vconkit-source --import tsx bench/fts-options.bench.ts`
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseVcon, plainTranscript } from '@vconkit/vcon'
import Database from 'better-sqlite3'
import { vcon5k } from './vcon-5k.js'

const ROWS = 8192
const BATCH = 256
const TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"
const SECURE = "INSERT INTO f (f, rank) VALUES ('secure-delete', 1)"

const texts = Array.from({ length: ROWS }, (_, i) => {
  const parsed = parseVcon(vcon5k(undefined, i + 1), { mode: 'lenient' })
  if (parsed.form !== 'unsigned') throw new Error('the bench vCon must be unsigned')
  return `${parsed.vcon.subject ?? ''}\n${plainTranscript(parsed.vcon).text}`
})

const variants: Record<string, string> = {
  'as the store (secure-delete)': `CREATE VIRTUAL TABLE f USING fts5 (uuid UNINDEXED, text, ${TOKENIZE}); ${SECURE}`,
  'no secure-delete': `CREATE VIRTUAL TABLE f USING fts5 (uuid UNINDEXED, text, ${TOKENIZE})`,
  'detail=column': `CREATE VIRTUAL TABLE f USING fts5 (uuid UNINDEXED, text, ${TOKENIZE}, detail=column); ${SECURE}`,
  'columnsize=0': `CREATE VIRTUAL TABLE f USING fts5 (uuid UNINDEXED, text, ${TOKENIZE}, columnsize=0); ${SECURE}`,
  'detail=column, columnsize=0': `CREATE VIRTUAL TABLE f USING fts5 (uuid UNINDEXED, text, ${TOKENIZE}, detail=column, columnsize=0); ${SECURE}`,
  'plain table, no FTS': 'CREATE TABLE f (uuid TEXT, text TEXT)',
}

const results = []
for (const [variant, sql] of Object.entries(variants)) {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-fts-'))
  const db = new Database(join(dir, 'fts.db'))
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.exec(sql)
    const insert = db.prepare('INSERT INTO f (uuid, text) VALUES (?, ?)')
    const batch = db.transaction((from: number) => {
      for (let i = from; i < from + BATCH; i++) insert.run(String(i), texts[i])
    })
    const start = performance.now()
    for (let i = 0; i < ROWS; i += BATCH) batch(i)
    const ms = performance.now() - start
    results.push({ variant, rowsPerSecond: Math.round((ROWS * 1000) / ms) })
  } finally {
    db.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
process.stdout.write(
  `${JSON.stringify({ rows: ROWS, textBytes: Buffer.byteLength(texts[0] ?? ''), results }, null, 2)}\n`,
)
