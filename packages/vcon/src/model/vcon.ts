/**
 * @module The vCon 0.4.0 data model of the current core draft (draft-ietf-vcon-vcon-core, core-03 shape),
 * as TypeScript types. Every object allows extension fields (core draft §2.5): unknown keys are kept.
 */

/** An RFC 3339 date-time with a zone designator (core draft §2.4 "Date"). */
export type DateString = string

/** `<alg>-<base64url digest>`, e.g. `sha512-…` (core draft §2.4 "ContentHash"). */
export type ContentHashToken = string

/** A single token or one token per algorithm. */
export type ContentHash = ContentHashToken | readonly ContentHashToken[]

/** Any JSON value: the body of `encoding: "json"` content (core-03). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [key: string]: JsonValue }

/** Extension fields that a known object may carry besides its core parameters. */
export interface ExtensionFields {
  readonly [key: string]: unknown
}

/** The three content encodings of core draft §2.4.1. */
export type Encoding = 'base64url' | 'json' | 'none'

/** Inline (`body` + `encoding`) or external (`url` + `content_hash`) content, core draft §2.4.1 and §2.4.2. */
export interface ContentFields {
  readonly body?: JsonValue
  readonly encoding?: Encoding | (string & {})
  readonly url?: string
  readonly content_hash?: ContentHash
  readonly mediatype?: string
  readonly filename?: string
}

/** Civic address of a party (RFC 5139 element names, lowercase). */
export interface CivicAddress extends ExtensionFields {
  readonly country?: string
  readonly a1?: string
  readonly a2?: string
  readonly a3?: string
  readonly a4?: string
  readonly a5?: string
  readonly a6?: string
  readonly prd?: string
  readonly pod?: string
  readonly sts?: string
  readonly hno?: string
  readonly hns?: string
  readonly lmk?: string
  readonly loc?: string
  readonly flr?: string
  readonly nam?: string
  readonly pc?: string
}

/** Party `type` values the core draft lists (core-03); other strings are allowed. */
export type PartyType = 'person' | 'bot' | 'organization' | (string & {})

/** Party object, core draft §4.2. Every field is optional; `{}` is an unknown participant. */
export interface Party extends ExtensionFields {
  readonly tel?: string
  readonly sip?: string
  readonly stir?: string
  readonly mailto?: string
  readonly name?: string
  readonly did?: string
  readonly validation?: string
  readonly gmlpos?: string
  readonly civicaddress?: CivicAddress
  readonly uuid?: string
  readonly type?: PartyType
  readonly org?: string
  readonly dept?: string
}

/** The registered dialog types (core draft §4.3.1; `recording-set` is core-03). */
export type DialogType = 'recording' | 'recording-set' | 'text' | 'transfer' | 'incomplete'

/** `disposition` values of an `incomplete` dialog (core draft §4.3.11). */
export type Disposition =
  | 'no-answer'
  | 'congestion'
  | 'failed'
  | 'busy'
  | 'hung-up'
  | 'voicemail-no-message'

/** `party_history[].event` values (core draft §4.3.13, core-02 onward). */
export type PartyEventType =
  | 'join'
  | 'drop'
  | 'hold'
  | 'unhold'
  | 'mute'
  | 'unmute'
  | 'keydown'
  | 'keyup'

/** One entry of `dialog[].party_history` (core draft §4.3.13). */
export interface PartyHistory extends ExtensionFields {
  readonly party: number
  readonly time: DateString
  readonly event: PartyEventType
  /** Required for `keydown` and `keyup`: the DTMF digit, character or button label. */
  readonly button?: string
}

/** RFC 7989 session identifiers of one channel; `{}` for a party without one (core-02 onward). */
export interface SessionId extends ExtensionFields {
  readonly local?: string
  readonly remote?: string
}

/** One channel of a multi-channel `parties` array: a party, several mixed parties, or `null` (unused). */
export type DialogPartiesChannel = number | readonly number[] | null

/** Dialog `parties`: a party index, indices mixed on one channel, or one entry per channel. */
export type DialogParties = number | readonly DialogPartiesChannel[]

/** Dialog `session_id`: one object for every party, or an array mirroring `parties`. */
export type DialogSessionId = SessionId | readonly (SessionId | readonly SessionId[])[]

/** One index or several (dialog or party indices). */
export type IndexOrIndices = number | readonly number[]

/** Dialog object, core draft §4.3. A placeholder `{}` is legal (unknown or redacted dialog). */
export interface Dialog extends ExtensionFields, ContentFields {
  readonly type?: DialogType | (string & {})
  readonly start?: DateString
  readonly duration?: number
  readonly parties?: DialogParties
  readonly originator?: number
  readonly disposition?: Disposition | (string & {})
  readonly session_id?: DialogSessionId
  readonly party_history?: readonly PartyHistory[]
  readonly transferee?: number
  readonly transferor?: number
  readonly transfer_target?: IndexOrIndices
  readonly original?: IndexOrIndices
  readonly consultation?: IndexOrIndices
  readonly target_dialog?: IndexOrIndices
  /** On a `recording-set`: the member `recording` dialogs (core-03). */
  readonly recordings?: readonly number[]
  /** On a `recording`: the `recording-set` dialog it belongs to (core-03). */
  readonly recording_set?: number
  readonly application?: string
  readonly message_id?: string
}

/** Analysis types the core draft lists; other strings are allowed (core draft §4.5.1). */
export type AnalysisType =
  | 'report'
  | 'sentiment'
  | 'summary'
  | 'transcript'
  | 'translation'
  | 'tts'
  | (string & {})

/** Analysis object, core draft §4.5. */
export interface Analysis extends ExtensionFields, ContentFields {
  readonly type: AnalysisType
  readonly dialog?: IndexOrIndices
  /** Attachment indices the analysis was derived from (core-03). */
  readonly attachment?: IndexOrIndices
  readonly vendor: string
  readonly product?: string
  readonly schema?: string
}

/** Attachment object, core draft §4.4. */
export interface Attachment extends ExtensionFields, ContentFields {
  readonly purpose?: string
  readonly start?: DateString
  /** Index of the party that distributed the attachment (core-03: MUST). */
  readonly party?: number
  readonly dialog?: number
}

/** Reference from a redacted vCon to its less-redacted version (core draft §4.1.8). */
export interface Redacted extends ExtensionFields {
  readonly uuid?: string
  readonly type: string
  readonly url?: string
  readonly content_hash?: ContentHash
}

/** Reference from an amended vCon to its prior version (core draft §4.1.9). */
export interface Amended extends ExtensionFields {
  readonly uuid?: string
  readonly url?: string
  readonly content_hash?: ContentHash
}

/** An unsigned vCon in the 0.4.0 shape (core draft §4.1). */
export interface Vcon extends ExtensionFields {
  /** Deprecated by the draft, but emitted as "0.4.0" for older readers. */
  readonly vcon?: '0.4.0'
  readonly uuid: string
  readonly extensions?: readonly string[]
  readonly critical?: readonly string[]
  readonly created_at?: DateString
  readonly updated_at?: DateString
  readonly subject?: string
  readonly redacted?: Redacted
  readonly amended?: Amended
  readonly parties?: readonly Party[]
  readonly dialog?: readonly Dialog[]
  readonly analysis?: readonly Analysis[]
  readonly attachments?: readonly Attachment[]
}

/** One signature of a General JWS JSON Serialization (RFC 7515 §7.2.1). */
export interface JwsSignature extends ExtensionFields {
  readonly protected?: string
  readonly header?: { readonly [key: string]: unknown }
  readonly signature: string
}

/** A signed vCon: General JWS JSON Serialization whose payload is a vCon (core draft §5.2). */
export interface SignedVcon extends ExtensionFields {
  readonly payload: string
  readonly signatures: readonly JwsSignature[]
}

/** One recipient of a General JWE JSON Serialization (RFC 7516 §7.2.1). */
export interface JweRecipient extends ExtensionFields {
  readonly header?: { readonly [key: string]: unknown }
  readonly encrypted_key?: string
}

/** An encrypted vCon: General JWE JSON Serialization whose plaintext is a signed vCon (core draft §5.3). */
export interface EncryptedVcon extends ExtensionFields {
  readonly protected?: string
  readonly unprotected?: { readonly [key: string]: unknown }
  readonly recipients: readonly JweRecipient[]
  readonly aad?: string
  readonly iv?: string
  readonly ciphertext: string
  readonly tag?: string
}
