/**
 * @module The portability archive of a data subject (GDPR Art. 20): a gzipped ustar file holding every vCon of
 * the subject as stored (byte for byte, `vcons/<uuid>.vcon.json`, readable by any vCon implementation), the
 * lifecycle receipts of each (`receipts/<uuid>.json`, when the ledger is on) and `manifest.json`: who the
 * export is about, when and by which conserver it was made, and for each vCon its file, the sha512 content_hash
 * of the file's bytes in the vCon token form (core draft §2.4.2, `sha512-<base64url>`), what matched and its
 * receipts file. The archive is streamed, so its size is not bounded by memory; the manifest comes last, after
 * every file it describes was written, so its hashes are those of the bytes actually sent.
 */
import type { Writable } from 'node:stream'
import { computeContentHash } from '@vconkit/vcon'
import type { ConserverLedger } from '../ledger/conserver-ledger.js'
import type { Store } from '../ports/store.js'
import { receiptsDocument } from './export-receipts.js'
import { tarEnd, tarMember } from './export-tar.js'
import type { SubjectFindResult, SubjectIdentifier, SubjectVcon } from './find-subject.js'

/** The `format` of manifest.json; a reader checks it before trusting the layout. */
export const EXPORT_FORMAT = 'vconkit-subject-export/1'
const READ_BATCH = 50

export interface SubjectArchiveInput {
  readonly store: Store
  readonly ledger: ConserverLedger | undefined
  readonly subject: SubjectIdentifier
  readonly found: SubjectFindResult
  readonly limit: number
  readonly now: Date
  readonly conserverVersion: string
}

/** What manifest.json says about one vCon. */
interface ManifestVcon {
  readonly uuid: string
  readonly file: string
  readonly media_type: 'application/vcon+json'
  readonly form: string
  readonly size: number
  readonly content_hash: string
  readonly created_at: string
  readonly matches: SubjectVcon['matches']
  readonly receipts: string | null
}

/** Waits until `out` takes more, or fails when it is closed first (the client went away). */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = () => {
      stop()
      resolve()
    }
    const fail = () => {
      stop()
      reject(new Error('The export stream closed before the archive was complete.'))
    }
    const stop = () => {
      out.off('drain', done)
      out.off('close', fail)
      out.off('error', fail)
    }
    out.on('drain', done)
    out.on('close', fail)
    out.on('error', fail)
  })
}

async function write(out: Writable, chunks: readonly Buffer[]): Promise<void> {
  for (const chunk of chunks) {
    if (out.destroyed) throw new Error('The export stream closed before the archive was complete.')
    if (!out.write(chunk)) await drained(out)
  }
}

/** Writes the (uncompressed) tar stream to `out` and ends it; the caller pipes it through gzip. */
export async function writeSubjectArchive(
  out: Writable,
  input: SubjectArchiveInput,
): Promise<number> {
  const mtime = input.now
  const manifest: ManifestVcon[] = []
  await write(out, tarMember({ name: 'vcons/', mtime }))
  if (input.ledger !== undefined) {
    await input.ledger.recorder.flush()
    await write(out, tarMember({ name: 'receipts/', mtime }))
  }
  const wanted = input.found.vcons
  for (let i = 0; i < wanted.length; i += READ_BATCH) {
    const batch = wanted.slice(i, i + READ_BATCH)
    const stored = await input.store.getMany(batch.map((v) => v.uuid))
    for (const [j, item] of batch.entries()) {
      const row = stored[j]
      // Erased between the search and this read: nothing left to export.
      if (row === undefined) continue
      const bytes = Buffer.from(row.json, 'utf8')
      const file = `vcons/${row.uuid}.vcon.json`
      await write(out, tarMember({ name: file, data: bytes, mtime }))
      let receipts: string | null = null
      if (input.ledger !== undefined) {
        receipts = `receipts/${row.uuid}.json`
        const document = await receiptsDocument(input.ledger, row.uuid)
        const data = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8')
        await write(out, tarMember({ name: receipts, data, mtime }))
      }
      manifest.push({
        uuid: row.uuid,
        file,
        media_type: 'application/vcon+json',
        form: item.form ?? 'unsigned',
        size: bytes.byteLength,
        content_hash: computeContentHash(bytes, 'sha512'),
        created_at: row.createdAt,
        matches: item.matches,
        receipts,
      })
    }
  }
  const document = {
    format: EXPORT_FORMAT,
    identifier: input.subject,
    generated_at: input.now.toISOString(),
    conserver: { name: '@vconkit/server', version: input.conserverVersion },
    limit: input.limit,
    truncated: input.found.truncated,
    notes: [
      'Each vcons/ file is the vCon exactly as stored (unsigned, signed JWS or encrypted JWE JSON).',
      'content_hash is the sha512 of the file bytes, base64url, in the vCon content_hash token form.',
      'Encrypted (JWE) vCons cannot be searched without their key; they appear only when a readable version links to them.',
      ...(input.ledger === undefined ? ['The ledger is off on this conserver: no receipts.'] : []),
    ],
    vcons: manifest,
  }
  const data = Buffer.from(`${JSON.stringify(document, null, 2)}\n`, 'utf8')
  await write(out, [...tarMember({ name: 'manifest.json', data, mtime }), tarEnd()])
  out.end()
  return manifest.length
}
