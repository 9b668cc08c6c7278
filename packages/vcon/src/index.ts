/**
 * @module @vconkit/vcon: read, validate, upgrade, build, hash, sign, encrypt and redact vCons
 * (draft-ietf-vcon-vcon-core, syntax 0.4.0). Every public name is listed here one by one.
 */

export {
  type AmendChange,
  type AmendDraft,
  type AmendOptions,
  type AmendReplacement,
  amendVcon,
} from './amend/amend-vcon.js'
export {
  type LineageEntry,
  type LineageOptions,
  type LineageRelation,
  type LineageResolver,
  walkLineage,
} from './amend/lineage.js'
export type { AnalysisOptions, AttachmentOptions } from './build/analysis-builders.js'
export type { BuildOptions } from './build/assemble-vcon.js'
export type { DateInput, PartyHistoryInput } from './build/builder-checks.js'
export type {
  DialogCommonOptions,
  IncompleteDialogOptions,
  RecordingDialogOptions,
  RecordingSetOptions,
  TextDialogOptions,
  TransferDialogOptions,
} from './build/dialog-builders.js'
export {
  createUuid8Generator,
  decodeUuid8,
  type Uuid8Fields,
  type Uuid8Options,
  uuid8,
  uuid8DomainBits,
} from './build/uuid8.js'
// Building
export {
  DEFAULT_UUID_DOMAIN,
  type TagsOptions,
  VconBuilder,
  type VconBuilderOptions,
} from './build/vcon-builder.js'
// Consent enforcement
export {
  isPermitted,
  type PermissionCode,
  type PermissionDecision,
  type PermissionOptions,
  type PermissionQuery,
} from './consent/is-permitted.js'
export {
  type GrantInput,
  type LawfulBasisAttachmentInput,
  lawfulBasisAttachment,
} from './consent/lawful-basis-attachment.js'
export {
  createPurposeVocabulary,
  type PurposeConfig,
  type PurposeDefinition,
  type PurposeVocabulary,
  STANDARD_PURPOSES,
} from './consent/purposes.js'
export {
  type WithdrawalInput,
  type WithdrawConsentInput,
  withdrawalAttachment,
  withdrawConsent,
} from './consent/withdrawal.js'
export type { EmittedContentEncryption } from './encrypt/content-encryption.js'
export {
  type DecryptAndVerifyOptions,
  type DecryptedVcon,
  type DecryptedVerifiedVcon,
  type DecryptVconOptions,
  decryptAndVerifyVcon,
  decryptVcon,
  type FlattenedEncryptedVcon,
} from './encrypt/decrypt-vcon.js'
export {
  type EncryptionRecipient,
  type EncryptVconOptions,
  encryptVcon,
} from './encrypt/encrypt-vcon.js'
export type { EmittedKeyManagement } from './encrypt/key-management.js'
// Errors and issues
export { isVconError, VconError, type VconErrorCode } from './errors/vcon-error.js'
export { AGENT_PURPOSES, agentSessionExtension } from './extensions/agent-session.js'
export { consentExtension } from './extensions/consent-legacy.js'
export { defaultRegistry } from './extensions/default-registry.js'
// Extensions
export type { ExtensionContext, VconExtension } from './extensions/extension.js'
export { lawfulBasisExtension, readLawfulBasis } from './extensions/lawful-basis.js'
export {
  type ComputableLawfulBasisHash,
  checkLawfulBasisHash,
  type LawfulBasisContentHash,
  type LawfulBasisHashCheck,
  lawfulBasisContentHash,
} from './extensions/lawful-basis-hash.js'
export {
  LAWFUL_BASES,
  LAWFUL_BASIS_HASH_ALGORITHMS,
  type LawfulBasisRecord,
  type LawfulBasisType,
  PROOF_TYPES,
  type PurposeGrant,
} from './extensions/lawful-basis-model.js'
export { ExtensionRegistry } from './extensions/registry.js'
export { SIP_PURPOSES, sipSignalingExtension } from './extensions/sip-signaling.js'
export { isWtfAnalysis, wtfTranscriptionExtension } from './extensions/wtf-transcription.js'
// Content hashes and external media
export {
  CONTENT_HASH_ALGORITHMS,
  type ContentHashAlgorithm,
  type ContentHasher,
  type ContentHashVerification,
  computeContentHash,
  createContentHasher,
  verifyContentHash,
} from './hash/content-hash.js'
export { type AddressClass, classifyAddress, isPublicAddress } from './media/address-policy.js'
export type { BlobHint, BlobStore } from './media/blob-store.js'
export type { ContentSection, ContentSectionFilter } from './media/content-sections.js'
export {
  createFetcher,
  type Fetcher,
  type FetcherOptions,
  type FetchResult,
  type HostResolver,
  type ResolvedAddress,
} from './media/fetcher.js'
export {
  createLocalFolderBlobStore,
  type LocalFolderBlobStoreOptions,
} from './media/local-folder-blob-store.js'
export { type PackedReference, type PackOptions, type PackResult, packVcon } from './media/pack.js'
export {
  type UnpackedReference,
  type UnpackOptions,
  type UnpackResult,
  unpackVcon,
} from './media/unpack.js'
export type {
  Amended,
  Analysis,
  Attachment,
  CivicAddress,
  ContentHash,
  ContentHashToken,
  DateString,
  Dialog,
  DialogParties,
  DialogPartiesChannel,
  DialogSessionId,
  DialogType,
  Disposition,
  Encoding,
  EncryptedVcon,
  JsonValue,
  JweRecipient,
  JwsSignature,
  Party,
  PartyEventType,
  PartyHistory,
  PartyType,
  Redacted,
  SessionId,
  SignedVcon,
  Vcon,
} from './model/vcon.js'
export {
  ANALYSIS_TYPES,
  DIALOG_TYPES,
  DISPOSITIONS,
  ENCODINGS,
  PARTY_EVENTS,
  PARTY_TYPES,
  VCON_VERSION,
} from './model/vocabulary.js'
export { detectForm, type VconForm } from './parse/detect-form.js'
// Reading, validating, upgrading
export {
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_DEPTH,
  type ParsedEncrypted,
  type ParsedSigned,
  type ParsedUnsigned,
  type ParsedVcon,
  type ParseOptions,
  parseVcon,
} from './parse/parse-vcon.js'
export { type ContentLike, decodeBody, getJsonBody } from './read/body.js'
export {
  type AnalysisMatch,
  type AttachmentMatch,
  analysesByType,
  attachmentsByPurpose,
  type DialogMatch,
  dialogsByType,
} from './read/by-type.js'
// Reading helpers
export { findParties, type PartyMatch, type PartyQuery } from './read/find-parties.js'
export {
  type PlainTranscript,
  plainTranscript,
  type TranscriptLine,
  type TranscriptSource,
} from './read/plain-transcript.js'
export { getTags } from './read/tags.js'
export { isValidIban } from './redact/iban.js'
export { createKnownNamesDetector } from './redact/known-names.js'
export { isLuhnValid } from './redact/luhn.js'
export { isUkNino, isUsSsn } from './redact/national-id.js'
export {
  combineDetectors,
  mergeSpans,
  type PiiDetector,
  type PiiKind,
  type PiiSpan,
} from './redact/pii-detector.js'
// Redaction and amendment
export {
  type RedactionReport,
  type RedactOptions,
  type RedactResult,
  redactVcon,
} from './redact/redact-vcon.js'
export {
  type AnalysisSelector,
  type AttachmentSelector,
  type PartyField,
  parseRedactionPolicy,
  type RedactionPolicy,
  summarisePolicy,
  type TextRedactionPolicy,
} from './redact/redaction-policy.js'
export {
  createRegexPiiDetector,
  REGEX_DETECTOR_KINDS,
  type RegexPiiDetectorOptions,
} from './redact/regex-pii-detector.js'
export { type CanonicalJsonOptions, canonicalJson } from './serialize/canonical-json.js'
// Serialising
export { type SerializeOptions, serializeVcon } from './serialize/serialize-vcon.js'
export type { JwsAlgorithm, SigningAlgorithm } from './sign/jws-algorithms.js'
export type { FlattenedSignedVcon } from './sign/jws-payload.js'
// Signing (JWS) and encryption (JWE)
export {
  type SignerChain,
  type SignerOptions,
  type SignVconOptions,
  signVcon,
} from './sign/sign-vcon.js'
export {
  type VerifiedParsedVcon,
  type VerifyAndParseOptions,
  verifyAndParseSignedVcon,
} from './sign/verify-and-parse.js'
export type { FetchX5u } from './sign/verify-signature.js'
export {
  type RejectedSignature,
  type SignerReport,
  type VerifiedLayer,
  type VerifiedVcon,
  type VerifySignedVconOptions,
  verifySignedVcon,
} from './sign/verify-vcon.js'
export {
  type DetectedVersion,
  detectVersion,
  type SourceVersion,
  type UpgradeResult,
  upgradeVcon,
} from './upgrade/upgrade-vcon.js'
export type { Issue, RuleLevel, Severity, ValidationMode } from './validate/issue.js'
export { ISSUE_CODES, type IssueCode } from './validate/issue-codes.js'
export {
  type ValidateOptions,
  type ValidationResult,
  validateVcon,
} from './validate/validate-vcon.js'
export {
  type CertificateInput,
  type ChainCertificate,
  loadTrustAnchors,
  parseX5c,
  type VerifiedChain,
  type VerifyChainOptions,
  verifyChain,
} from './x509/chain.js'
