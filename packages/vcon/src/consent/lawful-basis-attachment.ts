/**
 * @module Writing a lawful_basis attachment (lawful-basis-00 §5): the body with its grants, sealed by a JCS
 * content_hash (§5.2.2, §6.1), in the attachment shape notes §g.2 recommends (`type` and `purpose` both
 * "lawful_basis", `encoding` "json", a native JSON body). Used for grants and, by withdrawal.ts, for withdrawals.
 */
import { VconError } from '../errors/vcon-error.js'
import { lawfulBasisContentHash } from '../extensions/lawful-basis-hash.js'
import {
  LAWFUL_BASES,
  LAWFUL_BASIS,
  type LawfulBasisType,
} from '../extensions/lawful-basis-model.js'
import type { Attachment, JsonValue } from '../model/vcon.js'
import { isDate } from '../validate/primitives.js'
import type { PurposeVocabulary } from './purposes.js'

/** One purpose grant to write. */
export interface GrantInput {
  readonly purpose: string
  readonly granted: boolean
  /** When the permission was given or refused; default: the attachment's `at`. */
  readonly granted_at?: Date | string
  readonly conditions?: readonly string[]
}

/** What `lawfulBasisAttachment` writes. */
export interface LawfulBasisAttachmentInput {
  readonly basis: LawfulBasisType
  /** The party the basis concerns; omitted = the whole vCon. */
  readonly party?: number
  /** The dialog the basis is associated with (core-03 §4.4.4 makes `dialog` a MUST on attachments). */
  readonly dialog?: number
  /** When the basis ends; null = indefinite (lawful-basis-00 §5.2.1). */
  readonly expiration: Date | string | null
  readonly grants: readonly GrantInput[]
  /** When the record is made: the attachment's `start`. */
  readonly at: Date
  /** Implementation-specific metadata (lawful-basis-00 §5.2.2). */
  readonly metadata?: { readonly [key: string]: JsonValue }
  /** When given, every purpose must be in it. */
  readonly vocabulary?: PurposeVocabulary
}

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

/** A Date as RFC 3339 UTC, or an RFC 3339 string with a zone as is. */
function dateString(value: unknown, field: string): string {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) bad(`\`${field}\` is an invalid Date.`)
    return value.toISOString()
  }
  if (typeof value !== 'string' || !isDate(value)) {
    bad(
      `\`${field}\` must be a Date or an RFC 3339 date-time with a zone, e.g. "2026-01-02T12:00:00Z".`,
    )
  }
  return value
}

function checkIndex(value: unknown, field: string): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    bad(`\`${field}\` must be an index (a non-negative integer).`)
  }
  return value
}

function grantBody(
  grant: GrantInput,
  i: number,
  at: string,
  vocabulary: PurposeVocabulary | undefined,
): JsonValue {
  const field = `grants[${i}]`
  if (typeof grant !== 'object' || grant === null)
    bad(`\`${field}\` must be an object {purpose, granted}.`)
  if (typeof grant.purpose !== 'string' || grant.purpose === '') {
    bad(`\`${field}.purpose\` must be a purpose name such as "recording".`)
  }
  if (vocabulary !== undefined && !vocabulary.has(grant.purpose)) {
    bad(
      `\`${field}.purpose\` "${grant.purpose}" is not in the purpose vocabulary; configure it first.`,
    )
  }
  if (typeof grant.granted !== 'boolean') bad(`\`${field}.granted\` must be true or false.`)
  const conditions = grant.conditions
  if (
    conditions !== undefined &&
    (!Array.isArray(conditions) || !conditions.every((c) => typeof c === 'string'))
  ) {
    bad(`\`${field}.conditions\` must be an array of strings.`)
  }
  return {
    purpose: grant.purpose,
    granted: grant.granted,
    granted_at:
      grant.granted_at === undefined ? at : dateString(grant.granted_at, `${field}.granted_at`),
    ...(conditions === undefined ? {} : { conditions: [...conditions] }),
  }
}

/**
 * A lawful_basis attachment recording `basis` and its purpose grants, with a sha-256 JCS content_hash over the
 * body. Throws VconError (VCON_BAD_ARGUMENT) naming the field when the input is wrong.
 *
 * @example
 * const a = lawfulBasisAttachment({ basis: 'consent', party: 0, dialog: 0, expiration: null, at: new Date(),
 *   grants: [{ purpose: 'recording', granted: true }, { purpose: 'ai', granted: false }] })
 */
export function lawfulBasisAttachment(input: LawfulBasisAttachmentInput): Attachment {
  if (typeof input !== 'object' || input === null)
    bad('lawfulBasisAttachment needs an input object.')
  if (!(LAWFUL_BASES as readonly string[]).includes(input.basis)) {
    bad(`\`basis\` must be one of ${LAWFUL_BASES.join(', ')} (lawful-basis-00 §5.2.1).`)
  }
  const at = dateString(input.at, 'at')
  const party = checkIndex(input.party, 'party')
  const dialog = checkIndex(input.dialog, 'dialog')
  const expiration = input.expiration === null ? null : dateString(input.expiration, 'expiration')
  if (!Array.isArray(input.grants))
    bad('`grants` must be an array of {purpose, granted, granted_at?, conditions?}.')
  const metadata = input.metadata
  if (
    metadata !== undefined &&
    (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
  ) {
    bad('`metadata` must be an object.')
  }
  const body: Record<string, JsonValue> = {
    lawful_basis: input.basis,
    expiration,
    purpose_grants: input.grants.map((g, i) => grantBody(g, i, at, input.vocabulary)),
    ...(metadata === undefined ? {} : { metadata }),
  }
  const hash = lawfulBasisContentHash(body, 'sha-256')
  return {
    type: LAWFUL_BASIS,
    purpose: LAWFUL_BASIS,
    start: at,
    ...(party === undefined ? {} : { party }),
    ...(dialog === undefined ? {} : { dialog }),
    encoding: 'json',
    body: { ...body, content_hash: { ...hash } },
  }
}
