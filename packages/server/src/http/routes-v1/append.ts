/**
 * @module `POST /v1/vcons/{uuid}/analysis`, `/attachments`, `/dialog`: append one entry to an existing vCon.
 * The whole vCon is validated after the append (so an analysis without `vendor`, or a dialog naming a party that
 * does not exist, is a 422 with pointers into the resulting vCon), `updated_at` is set (core draft §4.1.4), the
 * version grows by one, and the new JSON is stored as `serializeVcon` writes it.
 */

import { readJsonObject } from '../json-body.js'
import { pathUuid } from '../path-uuid.js'
import { sendJson } from '../respond.js'
import type { RequestContext, Route } from '../route.js'
import { editStored } from './edit-stored.js'
import { vconLocation } from './receipt.js'

type AppendField = 'analysis' | 'attachments' | 'dialog'

const WHAT: Readonly<Record<AppendField, string>> = {
  analysis: 'one analysis entry (core draft §4.5)',
  attachments: 'one attachment (core draft §4.4)',
  dialog: 'one dialog (core draft §4.3)',
}

function appendTo(field: AppendField) {
  return async (rc: RequestContext): Promise<void> => {
    const uuid = pathUuid(rc)
    const entry = await readJsonObject(rc.req, rc.app.config.limits.maxBodyBytes, WHAT[field])
    const { result: index, version } = await editStored(rc, uuid, (vcon, now) => {
      const existing = Array.isArray(vcon[field]) ? (vcon[field] as readonly unknown[]) : []
      return {
        vcon: { ...vcon, [field]: [...existing, entry], updated_at: now },
        result: existing.length,
      }
    })
    sendJson(
      rc.res,
      201,
      { uuid, field, index, version },
      { location: vconLocation(uuid), etag: `"${version}"` },
    )
  }
}

export const appendRoutes: readonly Route[] = [
  {
    method: 'POST',
    path: '/v1/vcons/{uuid}/analysis',
    access: 'admin',
    handle: appendTo('analysis'),
  },
  {
    method: 'POST',
    path: '/v1/vcons/{uuid}/attachments',
    access: 'admin',
    handle: appendTo('attachments'),
  },
  { method: 'POST', path: '/v1/vcons/{uuid}/dialog', access: 'admin', handle: appendTo('dialog') },
]
