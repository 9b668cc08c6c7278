/**
 * @module The PrivacyState port: the standing privacy decisions the pipeline must obey and the record of what it
 * did not do because of them. Restrictions of processing (GDPR Art. 18) and withdrawals of consent (Art. 7(3))
 * are kept as rules, not only as edits of stored vCons, so that they also hold for older versions and for vCons
 * of the same person ingested later. Skipped steps are recorded per vCon so that "why was this not transcribed?"
 * has an answer. Adapters: SQLite and PostgreSQL, beside the Store's tables.
 */

/** A party identifier as rules name it: the kind and the value normalised as the index keeps it. */
export interface PartyKey {
  readonly kind: 'tel' | 'mailto' | 'sip' | 'did' | 'name'
  readonly value: string
}

/** A restriction of processing: of one vCon, or of every vCon in which a party identifier appears. */
export interface Restriction {
  readonly id: string
  readonly target: { readonly uuid: string } | { readonly party: PartyKey }
  readonly reason: string | undefined
  readonly createdAt: string
}

/** A withdrawal of consent for some purposes by the party an identifier names. */
export interface Withdrawal {
  readonly id: string
  readonly party: PartyKey
  readonly purposes: readonly string[]
  readonly reason: string | undefined
  readonly createdAt: string
}

/** A pipeline step (or the egress push) that did not run, and why. Holds no personal data. */
export interface SkipRecord {
  readonly vconUuid: string
  readonly chain: string
  /** The step name, or "(egress)" for the push to the chain's egress lists. */
  readonly step: string
  /** The purpose that was not permitted; undefined when a restriction stopped everything. */
  readonly purpose: string | undefined
  /** The party index the decision concerned, when it concerned one. */
  readonly party: number | undefined
  /** A stable token: restricted, withdrawn, no-lawful-basis, denied, expired, no-grant, … */
  readonly code: string
  readonly reason: string
  readonly at: string
}

/** When consent recorded in a vCon lapses: the expiry sweeper records it in the ledger once it has passed. */
export interface ConsentExpiry {
  readonly vconUuid: string
  /** Index of the lawful_basis attachment that lapses. */
  readonly attachment: number
  /** ISO 8601 UTC. */
  readonly expiresAt: string
  /** The purposes it granted. */
  readonly purposes: readonly string[]
}

export interface PrivacyState {
  readonly kind: 'sqlite' | 'postgres'
  migrate(): Promise<void>
  addRestriction(restriction: Restriction): Promise<void>
  /** False when there was none with this id. */
  removeRestriction(id: string): Promise<boolean>
  listRestrictions(): Promise<Restriction[]>
  /** Restrictions that cover the vCon `uuid` or any of `parties`. */
  restrictionsFor(uuid: string, parties: readonly PartyKey[]): Promise<Restriction[]>
  addWithdrawal(withdrawal: Withdrawal): Promise<void>
  /** Withdrawals by any of `parties`. */
  withdrawalsFor(parties: readonly PartyKey[]): Promise<Withdrawal[]>
  recordSkip(skip: SkipRecord): Promise<void>
  /** The skips of one vCon, oldest first. */
  skipsOf(uuid: string): Promise<SkipRecord[]>
  /** Notes (or updates) when the consent recorded in a vCon lapses. */
  noteExpiries(expiries: readonly ConsentExpiry[]): Promise<void>
  /** Expiries at or before `at` (ISO 8601 UTC), earliest first, at most `limit`. */
  dueExpiries(at: string, limit: number): Promise<ConsentExpiry[]>
  /** Forgets one expiry once it has been acted on. */
  clearExpiry(vconUuid: string, attachment: number): Promise<void>
  /** Forgets everything kept about one vCon (erasure): its skips, expiries and vCon restrictions. */
  forgetVcon(uuid: string): Promise<void>
  /** Forgets the rules naming a party (erasure of that person): restrictions and withdrawals. */
  forgetParty(party: PartyKey): Promise<void>
}
