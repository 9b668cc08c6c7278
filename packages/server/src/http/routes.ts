/**
 * @module Every route of the HTTP API in one list: /v1, the Conserver's own routes, and operations. The OpenAPI
 * document covers each of them (checked by openapi.test.ts).
 */
import type { Route } from './route.js'
import { conserverListRoutes } from './routes-conserver/lists.js'
import { conserverVconRoutes } from './routes-conserver/vcon.js'
import { conserverBatchRoutes } from './routes-conserver/vcons.js'
import { opsRoutes } from './routes-ops.js'
import { privacyConsentRoutes } from './routes-privacy/consent.js'
import { privacyErasureRoutes } from './routes-privacy/erasure.js'
import { privacySubjectRoutes } from './routes-privacy/subject.js'
import { scrapiRoutes } from './routes-scrapi.js'
import { appendRoutes } from './routes-v1/append.js'
import { bulkRoutes } from './routes-v1/bulk.js'
import { deadLetterRoutes } from './routes-v1/dead-letters.js'
import { receiptRoutes } from './routes-v1/receipts.js'
import { searchRoutes } from './routes-v1/search.js'
import { tagRoutes } from './routes-v1/tags.js'
import { vconRoutes } from './routes-v1/vcons.js'

export const ALL_ROUTES: readonly Route[] = [
  ...vconRoutes,
  ...bulkRoutes,
  ...appendRoutes,
  ...tagRoutes,
  ...searchRoutes,
  ...deadLetterRoutes,
  ...conserverVconRoutes,
  ...conserverBatchRoutes,
  ...conserverListRoutes,
  ...opsRoutes,
  ...receiptRoutes,
  ...scrapiRoutes,
  ...privacySubjectRoutes,
  ...privacyErasureRoutes,
  ...privacyConsentRoutes,
]
