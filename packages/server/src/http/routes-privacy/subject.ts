/**
 * @module Privacy routes: subject access, portability, rectification and automated-decision listing.
 * - `GET /v1/privacy/subjects/vcons`: every vCon naming an identifier, with what matched (GDPR Art. 15);
 *   `include=content` adds the vCons themselves.
 * - `GET /v1/privacy/subjects/export`: the same vCons as a gzipped tar with a manifest and receipts (Art. 20).
 * - `POST /v1/privacy/rectifications`: a corrected new version, the prior kept (Art. 16).
 * - `GET /v1/privacy/subjects/decisions`: the analyses made of the subject's vCons (Art. 15(1)(h), Art. 22).
 * Admin scope: these answers hold a person's conversations. Responses are marked `Cache-Control: no-store`.
 */
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import { ServerError } from '../../errors/server-error.js'
import { listDecisions } from '../../privacy/decisions-list.js'
import { writeSubjectArchive } from '../../privacy/export-archive.js'
import {
  DEFAULT_SUBJECT_LIMIT,
  findSubject,
  parseSubjectIdentifier,
  type SubjectIdentifier,
} from '../../privacy/find-subject.js'
import { readRectificationRequest, rectifyVcon } from '../../privacy/rectify-vcon.js'
import { readJsonObject } from '../json-body.js'
import { queryInt, queryList, queryString } from '../query.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { vconLocation } from '../routes-v1/receipt.js'
import { versionInfo } from '../version-info.js'

const NO_STORE = { 'cache-control': 'no-store' }
/** With `include=content` the answer carries whole vCons: a smaller default keeps it a sensible size. */
const CONTENT_LIMIT = 100

/** Said in every answer, so that a reader knows what could not be searched. */
export const SUBJECT_NOTES: readonly string[] = [
  'Party fields (tel, mailto, sip, did, name) and texts (subject, dialog, analysis and attachment bodies) are searched; each match is a JSON pointer.',
  'Signed (JWS) vCons are searched in their payload, without verifying the signature.',
  'Encrypted (JWE) vCons cannot be searched without their key; one is listed only when a readable version names it as amended or redacted.',
  'Versions linked by amended or redacted to a matching vCon are listed with kind "lineage".',
]

function subjectOf(rc: RequestContext): SubjectIdentifier {
  return parseSubjectIdentifier(
    queryString(rc.url, 'identifier', 600) ?? '',
    'Query parameter identifier',
  )
}

function limitOf(rc: RequestContext, fallback = DEFAULT_SUBJECT_LIMIT): number {
  return queryInt(rc.url, 'limit', { min: 1, max: DEFAULT_SUBJECT_LIMIT, fallback })
}

async function access(rc: RequestContext): Promise<void> {
  const include = queryList(rc.url, 'include')
  const unknown = include.filter((value) => value !== 'content')
  if (unknown.length > 0) {
    throw new ServerError(
      'BAD_REQUEST',
      'Query parameter include takes only "content" (adds each vCon as stored).',
    )
  }
  const withContent = include.includes('content')
  const subject = subjectOf(rc)
  const limit = limitOf(rc, withContent ? CONTENT_LIMIT : DEFAULT_SUBJECT_LIMIT)
  const { store } = rc.services
  const found = await findSubject(store, subject, { limit })
  const contents = new Map<string, unknown>()
  if (withContent) {
    const rows = await store.getMany(found.vcons.map((v) => v.uuid))
    for (const row of rows) if (row !== undefined) contents.set(row.uuid, JSON.parse(row.json))
  }
  sendJson(
    rc.res,
    200,
    {
      identifier: subject,
      vcons: found.vcons.map((v) => ({
        uuid: v.uuid,
        createdAt: v.createdAt,
        form: v.form ?? 'unsigned',
        matches: v.matches,
        ...(withContent ? { vcon: contents.get(v.uuid) ?? null } : {}),
      })),
      count: found.vcons.length,
      limit,
      truncated: found.truncated,
      notes: SUBJECT_NOTES,
    },
    NO_STORE,
  )
}

async function exportArchive(rc: RequestContext): Promise<void> {
  const subject = subjectOf(rc)
  const limit = limitOf(rc)
  const found = await findSubject(rc.services.store, subject, { limit })
  const now = new Date(rc.app.now())
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')
  rc.res.writeHead(200, {
    ...NO_STORE,
    'content-type': 'application/gzip',
    'content-disposition': `attachment; filename="vcon-subject-export-${stamp}.tar.gz"`,
  })
  const gzip = createGzip()
  const sent = pipeline(gzip, rc.res)
  try {
    await writeSubjectArchive(gzip, {
      store: rc.services.store,
      ledger: rc.app.ledger,
      subject,
      found,
      limit,
      now,
      conserverVersion: versionInfo().version,
    })
  } catch (error) {
    // The answer has started: cutting it is the only signal left (sendError destroys the response).
    gzip.destroy(error instanceof Error ? error : new Error(String(error)))
    await sent.catch(() => {})
    throw error
  }
  await sent
}

async function rectify(rc: RequestContext): Promise<void> {
  const body = await readJsonObject(
    rc.req,
    rc.app.config.limits.maxBodyBytes,
    'a rectification {"uuid", "corrections": [{"pointer", "value"}], "reason"}',
  )
  const request = readRectificationRequest(body)
  const result = await rectifyVcon(
    {
      store: rc.services.store,
      ledger: rc.app.ledger,
      mode: rc.app.config.validation.mode,
      now: rc.app.now,
      lock: (uuid, work) => rc.services.locks.run(uuid, work),
    },
    request,
  )
  const location = vconLocation(result.uuid)
  sendJson(rc.res, 201, { ...result, location }, { location, etag: '"1"' })
}

async function decisions(rc: RequestContext): Promise<void> {
  const subject = subjectOf(rc)
  const limit = limitOf(rc)
  const found = await findSubject(rc.services.store, subject, { limit })
  const listed = await listDecisions(rc.services.store, rc.app.ledger, found.vcons)
  sendJson(
    rc.res,
    200,
    {
      identifier: subject,
      vcons: found.vcons.map((v) => v.uuid),
      decisions: listed.decisions,
      enhancements: listed.enhancements,
      unreadable: listed.unreadable,
      limit,
      truncated: found.truncated,
    },
    NO_STORE,
  )
}

export const privacySubjectRoutes: readonly Route[] = [
  { method: 'GET', path: '/v1/privacy/subjects/vcons', access: 'admin', handle: access },
  { method: 'GET', path: '/v1/privacy/subjects/export', access: 'admin', handle: exportArchive },
  { method: 'GET', path: '/v1/privacy/subjects/decisions', access: 'admin', handle: decisions },
  { method: 'POST', path: '/v1/privacy/rectifications', access: 'admin', handle: rectify },
]
