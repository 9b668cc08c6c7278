/**
 * @module The `{uuid}` path parameter, checked: a malformed one is a client error (400) naming the parameter.
 */
import { ServerError } from '../errors/server-error.js'
import { isUuid } from './ingest/prepare-vcon.js'
import type { RequestContext } from './route.js'

export function pathUuid(rc: RequestContext): string {
  const uuid = rc.params.uuid ?? ''
  if (!isUuid(uuid)) {
    throw new ServerError(
      'BAD_REQUEST',
      'The path segment {uuid} is not a uuid (8-4-4-4-12 hexadecimal digits).',
    )
  }
  return uuid
}

export function notFound(uuid: string): ServerError {
  return new ServerError('NOT_FOUND', `No vCon with uuid ${uuid} is stored.`)
}
