/**
 * @module The rows of the privacy tables as both PrivacyState adapters read them, and their conversion to the
 * port's types. Purposes arrive as a list (PostgreSQL text[]; the SQLite adapter decodes its JSON text first).
 */
import type { ConsentExpiry, Restriction, SkipRecord, Withdrawal } from '../ports/privacy-state.js'
import { parsePartyKeyText } from '../privacy/party-key.js'

export interface RestrictionRow {
  id: string
  vcon_uuid: string | null
  party: string | null
  reason: string | null
  created_at: string
}

export interface WithdrawalRow<P = string[]> {
  id: string
  party: string
  purposes: P
  reason: string | null
  created_at: string
}

export interface ExpiryRow<P = string[]> {
  vcon_uuid: string
  attachment: number
  expires_at: string
  purposes: P
}

export interface SkipRow {
  vcon_uuid: string
  chain: string
  step: string
  purpose: string | null
  party: number | null
  code: string
  reason: string
  at: string
}

export function toRestriction(row: RestrictionRow): Restriction {
  const party = row.party === null ? undefined : parsePartyKeyText(row.party)
  return {
    id: row.id,
    target: party === undefined ? { uuid: row.vcon_uuid ?? '' } : { party },
    reason: row.reason ?? undefined,
    createdAt: row.created_at,
  }
}

export function toWithdrawal(row: WithdrawalRow): Withdrawal {
  return {
    id: row.id,
    party: parsePartyKeyText(row.party) ?? { kind: 'name', value: row.party },
    purposes: row.purposes,
    reason: row.reason ?? undefined,
    createdAt: row.created_at,
  }
}

export function toExpiry(row: ExpiryRow): ConsentExpiry {
  return {
    vconUuid: row.vcon_uuid,
    attachment: row.attachment,
    expiresAt: row.expires_at,
    purposes: row.purposes,
  }
}

export function toSkip(row: SkipRow): SkipRecord {
  return {
    vconUuid: row.vcon_uuid,
    chain: row.chain,
    step: row.step,
    purpose: row.purpose ?? undefined,
    party: row.party ?? undefined,
    code: row.code,
    reason: row.reason,
    at: row.at,
  }
}
