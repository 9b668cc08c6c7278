import assert from 'node:assert/strict'
import { test } from 'node:test'
import {
  acceptedMediaType,
  COSE_TYPE,
  coseResponseType,
  SCITT_RECEIPT_TYPE,
  STATEMENT_MEDIA_TYPES,
} from './scrapi-media.js'

test('acceptedMediaType takes either statement type, ignoring case and parameters', () => {
  assert.equal(
    acceptedMediaType('Application/SCITT-Statement+COSE; charset=binary', STATEMENT_MEDIA_TYPES),
    'application/scitt-statement+cose',
  )
  assert.equal(
    acceptedMediaType('application/cose; cose-type="cose-sign1"', STATEMENT_MEDIA_TYPES),
    COSE_TYPE,
  )
  assert.equal(acceptedMediaType(SCITT_RECEIPT_TYPE, STATEMENT_MEDIA_TYPES), undefined)
  assert.equal(acceptedMediaType('cose', STATEMENT_MEDIA_TYPES), undefined)
  assert.equal(acceptedMediaType(undefined, STATEMENT_MEDIA_TYPES), undefined)
})

test('coseResponseType answers the RFC 9943 type only when Accept weighs it above application/cose', () => {
  const as = (accept: string | undefined) => coseResponseType(accept, SCITT_RECEIPT_TYPE)
  assert.equal(as(undefined), COSE_TYPE)
  assert.equal(as(''), COSE_TYPE)
  assert.equal(as('application/scitt-receipt+cose'), SCITT_RECEIPT_TYPE)
  assert.equal(as('APPLICATION/SCITT-RECEIPT+COSE'), SCITT_RECEIPT_TYPE)
  assert.equal(as('application/cose;q=0.2, application/scitt-receipt+cose'), SCITT_RECEIPT_TYPE)
  assert.equal(as('application/scitt-receipt+cose, */*;q=0.1'), SCITT_RECEIPT_TYPE)
  assert.equal(as('application/scitt-receipt+cose, application/cose'), COSE_TYPE)
  assert.equal(as('application/scitt-receipt+cose;q=0, application/*'), COSE_TYPE)
  assert.equal(as('application/scitt-receipt+cose;q=high'), COSE_TYPE)
  assert.equal(as('text/html'), COSE_TYPE)
  assert.equal(as('*/*'), COSE_TYPE)
})
