/**
 * @module Withdrawal of consent (GDPR Art. 7(3); lawful-basis-00 §11.3 "Withdrawal"). A signed vCon cannot
 * change, so a withdrawal is a new lawful_basis record appended to an amended version (core draft §4.1.9): it
 * denies the purposes from the moment of withdrawal, and because denials always win (is-permitted.ts) every
 * earlier grant of those purposes, and of the narrower purposes under them, stops permitting.
 */
import { amendVcon } from '../amend/amend-vcon.js'
import { VconError } from '../errors/vcon-error.js'
import { listOf } from '../extensions/entry-access.js'
import { LAWFUL_BASIS } from '../extensions/lawful-basis-model.js'
import { readLawfulBasis } from '../extensions/read-lawful-basis.js'
import type { Attachment, Vcon } from '../model/vcon.js'
import { lawfulBasisAttachment } from './lawful-basis-attachment.js'
import { type PurposeVocabulary, STANDARD_VOCABULARY } from './purposes.js'

/** What is withdrawn, by whom, and when. */
export interface WithdrawalInput {
  /** Index of the party withdrawing. */
  readonly party: number
  /** The purposes withdrawn; each must be in the vocabulary. */
  readonly purposes: readonly string[]
  /** When the withdrawal took effect. */
  readonly at: Date
  /** Why, in words that carry no personal data; stored in the record's metadata. */
  readonly reason?: string
  /** default: the standard purposes */
  readonly vocabulary?: PurposeVocabulary
  /**
   * The dialog the record is associated with (core-03 §4.4.4 makes `dialog` a MUST on attachments). It does
   * not narrow the withdrawal. `withdrawConsent` defaults it to the dialog of the party's latest record.
   */
  readonly dialog?: number
}

/** A withdrawal plus how to make the new version. */
export interface WithdrawConsentInput extends Omit<WithdrawalInput, 'party'> {
  /** Index of the party withdrawing, or of every party the person appears as (one record each). */
  readonly party: number | readonly number[]
  /** The uuid of the amended version (a function is called once). */
  readonly newUuid: string | (() => string)
  /** The clock for `updated_at`. */
  readonly now?: () => Date
}

function bad(message: string): never {
  throw new VconError('VCON_BAD_ARGUMENT', message)
}

/**
 * A lawful_basis attachment that records the withdrawal (granted:false) of `purposes` for `party` at `at`,
 * with a JCS content_hash (sha-256) over its body, ready to be appended to an amended version (amend-vcon.ts).
 * Body: basis "consent", expiration null (a withdrawal does not lapse), one denial per purpose with
 * granted_at = at, metadata {withdrawal: true, reason?}.
 */
export function withdrawalAttachment(input: WithdrawalInput): Attachment {
  if (typeof input !== 'object' || input === null)
    bad('withdrawalAttachment needs {party, purposes, at}.')
  const vocabulary = input.vocabulary ?? STANDARD_VOCABULARY
  const { purposes, reason } = input
  if (typeof input.party !== 'number' || !Number.isInteger(input.party) || input.party < 0) {
    bad('`party` must be the index of the party withdrawing consent.')
  }
  if (!(input.at instanceof Date) || Number.isNaN(input.at.getTime())) {
    bad('`at` must be a valid Date: when the withdrawal took effect.')
  }
  if (!Array.isArray(purposes) || purposes.length === 0) {
    bad('`purposes` must list at least one purpose to withdraw, e.g. ["marketing"].')
  }
  purposes.forEach((p, i) => {
    if (typeof p !== 'string' || !vocabulary.has(p)) {
      bad(
        `\`purposes[${i}]\` is not a purpose of the vocabulary; use a standard purpose or configure it.`,
      )
    }
  })
  if (reason !== undefined && typeof reason !== 'string') bad('`reason` must be a string.')
  return lawfulBasisAttachment({
    basis: 'consent',
    party: input.party,
    ...(input.dialog === undefined ? {} : { dialog: input.dialog }),
    expiration: null,
    at: input.at,
    grants: [...new Set(purposes)].map((purpose) => ({
      purpose,
      granted: false,
      granted_at: input.at,
    })),
    metadata: { withdrawal: true, ...(reason === undefined ? {} : { reason }) },
  })
}

/**
 * The dialog of the latest lawful-basis record about `party` (or the whole vCon) that names one; else the first
 * dialog the party takes part in; else the first dialog.
 */
function defaultDialog(vcon: Vcon, party: number): number | undefined {
  const records = readLawfulBasis(vcon).filter(
    (r) => r.dialog !== undefined && (r.party === undefined || r.party === party),
  )
  const inherited = records.at(-1)?.dialog
  if (inherited !== undefined) return inherited
  const dialogs = listOf(vcon, 'dialog')
  const own = dialogs.findIndex((d) => {
    const among = (d as { parties?: unknown } | null)?.parties
    return Array.isArray(among) ? among.flat().includes(party) : among === party
  })
  if (own >= 0) return own
  return dialogs.length > 0 ? 0 : undefined
}

/**
 * Convenience: returns the amended vCon (new uuid, `amended` pointing at the prior, via amendVcon) with the
 * withdrawal appended, and "lawful_basis" listed in `extensions`. The prior is not changed. Throws VconError
 * when `party` or `dialog` is not an index of the vCon, or as withdrawalAttachment and amendVcon do.
 */
export function withdrawConsent(vcon: Vcon, input: WithdrawConsentInput): Vcon {
  if (typeof input !== 'object' || input === null)
    bad('withdrawConsent needs {party, purposes, at, newUuid}.')
  const parties = listOf(vcon, 'parties').length
  const withdrawing: readonly number[] = Array.isArray(input.party) ? input.party : [input.party]
  if (withdrawing.length === 0) bad('`party` must name at least one party.')
  for (const party of withdrawing) {
    if (typeof party === 'number' && party >= parties) {
      bad(`\`party\` ${party} is not a party of the vCon (it has ${parties}).`)
    }
  }
  const dialogs = listOf(vcon, 'dialog').length
  if (input.dialog !== undefined && (typeof input.dialog !== 'number' || input.dialog >= dialogs)) {
    bad(`\`dialog\` ${String(input.dialog)} is not a dialog of the vCon (it has ${dialogs}).`)
  }
  const attachments = withdrawing.map((party) => {
    const inherited = input.dialog === undefined ? defaultDialog(vcon, party) : undefined
    // An inherited index out of range (a damaged prior) is dropped rather than copied.
    const dialog =
      input.dialog ?? (inherited !== undefined && inherited < dialogs ? inherited : undefined)
    return withdrawalAttachment({ ...input, party, ...(dialog === undefined ? {} : { dialog }) })
  })
  const next = amendVcon(
    vcon,
    { attachments },
    {
      newUuid: input.newUuid,
      ...(input.now === undefined ? {} : { now: input.now }),
    },
  )
  const extensions = next.extensions
  if (extensions !== undefined && !Array.isArray(extensions)) return next
  if (extensions?.includes(LAWFUL_BASIS)) return next
  // Declaring the extension (lawful-basis-00 §4.3 SHOULD) is not a correction of the prior's content, so it is
  // set on the new version directly rather than recorded as an amendment replacement.
  return { ...next, extensions: [...(extensions ?? []), LAWFUL_BASIS] }
}
