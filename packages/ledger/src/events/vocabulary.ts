/**
 * @module The closed vocabularies of lifecycle events: the ten event names of draft-howe-vcon-lifecycle
 * ("vCon Lifecycle Events"), the reasons and purposes this ledger knows, and the event document media type.
 * The draft defines names only; the document fields are this package's design (scitt.md §1.4).
 */

/** The lifecycle events of draft-howe-vcon-lifecycle, in the draft's order. */
export const LIFECYCLE_EVENTS = [
  'vcon_created',
  'vcon_enhanced',
  'vcon_sent',
  'vcon_received',
  'vcon_consent_accepted',
  'vcon_consent_revoked',
  'vcon_party_redacted',
  'vcon_deleted',
  'vcon_expired',
  'vcon_rcvr_purged',
] as const

/** One lifecycle event name. */
export type LifecycleEventName = (typeof LIFECYCLE_EVENTS)[number]

/** Events that record a consent decision and therefore must name the purposes concerned. */
export const CONSENT_EVENTS: readonly LifecycleEventName[] = [
  'vcon_consent_accepted',
  'vcon_consent_revoked',
]

/** Reasons this ledger knows (for deletion, expiry, revocation, redaction, purge, enhancement). */
export const LIFECYCLE_REASONS = [
  'consent_revoked',
  'consent_expired',
  'retention_expired',
  'licence_expired',
  'erasure_request',
  'no_longer_needed',
  'legal_obligation',
  'legal_hold_released',
  'controller_instruction',
  'policy',
  'correction',
  'transcription',
  'analysis',
  'redaction',
] as const

/** Processing purposes this ledger knows (consent and enhancement events). */
export const LIFECYCLE_PURPOSES = [
  'recording',
  'storage',
  'transcription',
  'translation',
  'summarization',
  'analysis',
  'sentiment_analysis',
  'quality_assurance',
  'training',
  'ai_training',
  'compliance',
  'fraud_prevention',
  'customer_service',
  'marketing',
  'research',
  'sharing',
] as const

/**
 * Other reasons and purposes must be short tokens: lowercase ASCII words joined by _ . : or -, at most 40
 * characters. No spaces and no capitals, so no sentence or personal name fits; see personal-data-guard.ts.
 */
export const TOKEN = /^[a-z][a-z0-9]*(?:[_.:-][a-z0-9]+)*$/

/** Longest token accepted. */
export const MAX_TOKEN_LENGTH = 40

/** Most purposes one event may list. */
export const MAX_PURPOSES = 16

/** Media type of a lifecycle event document (header 259 of its statement), as scitt.md §1.4 proposes. */
export const LIFECYCLE_EVENT_MEDIA_TYPE = 'application/vcon-lifecycle+json'
