/**
 * @module The hand-written OpenAPI 3.1 document of the HTTP API (served at /openapi.json, rendered at /docs).
 * openapi.test.ts checks that every route of the router is described, and nothing else.
 */
import { type JsonObject, PARAMETERS, SCHEMAS, SECURITY_SCHEMES } from './openapi-components.js'
import { CONSERVER_PATHS } from './openapi-paths-conserver.js'
import { PRIVACY_CONSENT_PATHS } from './openapi-paths-privacy-consent.js'
import { PRIVACY_ERASURE_PATHS } from './openapi-paths-privacy-erasure.js'
import { PRIVACY_SUBJECT_PATHS } from './openapi-paths-privacy-subject.js'
import { SCRAPI_PATHS } from './openapi-paths-scrapi.js'
import { V1_PATHS } from './openapi-paths-v1.js'
import { versionInfo } from './version-info.js'

const DESCRIPTION = `The vconkit conserver: stores vCons (draft-ietf-vcon-vcon-core) durably and runs them through
pipelines. Every route but /health, /ready, /version, /openapi.json and /docs needs a token, sent as
\`Authorization: Bearer vck_…\` or \`x-conserver-api-token: vck_…\`. Token scopes: admin (everything), ingest
(create routes, optionally bound to ingress lists), read (GET routes). Errors are JSON
\`{"error": {"code", "message", "issues"?}}\`, the code deciding the status. Ingest accepts unsigned, signed (JWS)
and encrypted (JWE) vCons as application/vcon, application/vcon+json, application/json or application/vcon+gzip;
a 201 means the vCon is committed to storage and its pipeline jobs are queued.`

/** The document (a new object each call). */
export function openApiDocument(): JsonObject {
  return {
    openapi: '3.1.0',
    info: {
      title: 'vconkit conserver API',
      version: versionInfo().version,
      description: DESCRIPTION,
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    tags: [
      { name: 'v1 vCons', description: 'Create, read, list, search and change vCons.' },
      { name: 'v1 queue', description: 'Dead letters of the pipeline queue.' },
      {
        name: 'Conserver compatible',
        description: 'The routes of the reference Conserver, so existing adapters work unchanged.',
      },
      { name: 'Operations', description: 'Health, readiness, metrics and this description.' },
      {
        name: 'Privacy',
        description:
          'Data subject rights as API calls (access, portability, erasure, rectification, restriction, withdrawal of consent) and the record of steps skipped for want of a lawful basis.',
      },
      {
        name: 'Transparency ledger',
        description:
          'SCITT (SCRAPI) endpoints of the lifecycle ledger, and the receipts kept beside each vCon.',
      },
    ],
    paths: {
      ...V1_PATHS,
      ...CONSERVER_PATHS,
      ...SCRAPI_PATHS,
      ...PRIVACY_SUBJECT_PATHS,
      ...PRIVACY_ERASURE_PATHS,
      ...PRIVACY_CONSENT_PATHS,
    },
    components: {
      schemas: SCHEMAS,
      parameters: PARAMETERS,
      securitySchemes: SECURITY_SCHEMES,
    },
  }
}
