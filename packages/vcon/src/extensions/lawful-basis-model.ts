/**
 * @module The lawful_basis data model (draft-howe-vcon-lawful-basis-00 §4-§5), shared by the validator, the
 * legacy consent reader and later consent enforcement.
 */

/** The extension token, and the attachment `type` / `purpose` (lawful-basis-00 §4.2, notes §g.2). */
export const LAWFUL_BASIS = 'lawful_basis'

/** The six lawful bases of GDPR Art. 6, as the draft spells them (lawful-basis-00 §5.2.1). */
export const LAWFUL_BASES = [
  'consent',
  'contract',
  'legal_obligation',
  'vital_interests',
  'public_task',
  'legitimate_interests',
] as const

/** One of the six lawful bases. */
export type LawfulBasisType = (typeof LAWFUL_BASES)[number]

/** Proof mechanism types the draft lists (lawful-basis-00 §5.2.4). */
export const PROOF_TYPES = [
  'verbal_confirmation',
  'signed_document',
  'cryptographic_signature',
  'external_system',
] as const

/** content_hash algorithms the draft registers (lawful-basis-00 §5.2.2, IANA section). */
export const LAWFUL_BASIS_HASH_ALGORITHMS = ['sha-256', 'sha-3-256', 'blake2b-256'] as const

/** One permission for one processing purpose (a `purpose_grants[]` entry). */
export interface PurposeGrant {
  readonly purpose: string
  /** True when processing for `purpose` is permitted; false when denied or revoked. */
  readonly granted: boolean
  /** When the permission was given or refused; undefined when the source did not say. */
  readonly granted_at: string | undefined
  readonly conditions: readonly string[]
}

/**
 * A lawful basis read from one attachment, normalised: from a `lawful_basis` attachment or mapped from a legacy
 * consent-00 attachment (basis `consent`, `consents[]` → grants).
 */
export interface LawfulBasisRecord {
  /** Index of the attachment in `attachments`. */
  readonly attachment: number
  /** Which attachment kind it was read from. */
  readonly source: 'lawful_basis' | 'consent'
  readonly basis: LawfulBasisType
  /**
   * RFC 3339 expiry, `null` for indefinite, undefined when missing or malformed: callers enforcing consent should
   * then treat the record as unusable rather than as indefinite.
   */
  readonly expiration: string | null | undefined
  /** The grants that are well-formed (a string purpose and a boolean decision); malformed ones are left out. */
  readonly grants: readonly PurposeGrant[]
  /** Index of the party the basis concerns (the attachment's `party`, or consent-00's body `party`). */
  readonly party: number | undefined
  /** Index of the dialog the basis concerns. */
  readonly dialog: number | undefined
}
