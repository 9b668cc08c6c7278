import assert from 'node:assert/strict'
import type { IncomingMessage } from 'node:http'
import { test } from 'node:test'
import { ServerError } from '../errors/server-error.js'
import { parseMediaType, requireBodyFormat, VCON_MEDIA_TYPES } from './content-type.js'

test('parseMediaType lowercases the type and reads a quoted or bare charset', () => {
  assert.deepEqual(parseMediaType('Application/VCON+JSON; Charset="UTF-8"'), {
    type: 'application/vcon+json',
    charset: 'utf-8',
  })
  assert.deepEqual(parseMediaType('application/json'), {
    type: 'application/json',
    charset: undefined,
  })
  assert.equal(parseMediaType('not a type'), undefined)
  assert.equal(parseMediaType(undefined), undefined)
})

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage
}

test('requireBodyFormat accepts the vCon types and gzip, and refuses the rest with 415', () => {
  assert.deepEqual(
    requireBodyFormat(req({ 'content-type': 'application/vcon' }), VCON_MEDIA_TYPES),
    {
      gzip: false,
    },
  )
  assert.deepEqual(
    requireBodyFormat(req({ 'content-type': 'application/vcon+gzip' }), VCON_MEDIA_TYPES),
    { gzip: true },
  )
  assert.deepEqual(
    requireBodyFormat(
      req({ 'content-type': 'application/json', 'content-encoding': 'GZIP' }),
      VCON_MEDIA_TYPES,
    ),
    { gzip: true },
  )
  const refused: Record<string, string>[] = [
    {},
    { 'content-type': 'text/plain' },
    { 'content-type': 'application/json; charset=iso-8859-1' },
    { 'content-type': 'application/json', 'content-encoding': 'deflate' },
  ]
  for (const headers of refused) {
    assert.throws(
      () => requireBodyFormat(req(headers), VCON_MEDIA_TYPES),
      (e) => e instanceof ServerError && e.code === 'UNSUPPORTED_MEDIA_TYPE',
      JSON.stringify(headers),
    )
  }
})
