/**
 * @module @vconkit/ledger: the core of a SCITT transparency ledger for vCon lifecycle events — deterministic
 * CBOR, COSE_Sign1, RFC 9679 key thumbprints, RFC 9943 signed statements with RFC 9995 hash envelopes, an
 * RFC 9162 Merkle tree over a pluggable node store, RFC 9942 receipts, signed checkpoints, lifecycle event
 * documents, and the transparency log service over a storage port. No storage engine and no HTTP: those
 * implement `LedgerStorage` and call `TransparencyLog`. Every public name is listed here one by one.
 */

// CBOR
export { decodeStrict, type StrictDecodeOptions } from './cbor/decode.js'
export { encodeDeterministic } from './cbor/encode.js'
export {
  asLabelMap,
  type Label,
  type LabelMap,
  type MapContext,
  optionalArray,
  optionalBytes,
  optionalInt,
  optionalMap,
  optionalText,
  optionalUint,
  required,
} from './cbor/label-map.js'
// Checkpoints
export {
  CHECKPOINT_FIELD,
  CHECKPOINT_TYPE,
  type Checkpoint,
  type CreateCheckpointOptions,
  createCheckpoint,
  type VerifiedCheckpoint,
  type VerifyCheckpointOptions,
  verifyCheckpoint,
} from './checkpoint/checkpoint.js'
export { checkCheckpointConsistency } from './checkpoint/checkpoint-consistency.js'
// COSE
export {
  algorithmById,
  algorithmOfKey,
  COSE_ALGORITHMS,
  type CoseAlgorithmName,
} from './cose/algorithms.js'
export { CWT_CLAIM, HEADER, MEDIA_TYPE, VDP, VDS_RFC9162_SHA256 } from './cose/header-labels.js'
export { protectedKid, resolveKey } from './cose/resolve-key.js'
export {
  COSE_SIGN1_TAG,
  type DecodeSign1Options,
  decodeSign1,
  encodeSign1,
  type Sign1,
  type Sign1Parts,
  type SignSign1Options,
  signSign1,
  sigStructure,
  type VerifySign1Options,
  verifySign1,
} from './cose/sign1.js'
export {
  createVerifyPool,
  VERIFY_HERE,
  type VerifyPool,
  type VerifyPoolOptions,
} from './cose/verify-pool.js'
// Errors
export { isLedgerError, LedgerError, type LedgerErrorCode } from './errors/ledger-error.js'
// Lifecycle events
export {
  type CreatedLifecycleEvent,
  type CreateLifecycleEventOptions,
  createLifecycleEvent,
  type LifecycleEvent,
  lifecycleEventDigest,
  vconSubject,
} from './events/lifecycle-event.js'
export {
  checkEventBinding,
  createLifecycleStatement,
  type LifecycleStatementSigner,
} from './events/lifecycle-statement.js'
export { assertNoPersonalData, EVENT_FIELDS } from './events/personal-data-guard.js'
export { jcsSha256, vconDigest } from './events/vcon-digest.js'
export {
  CONSENT_EVENTS,
  LIFECYCLE_EVENT_MEDIA_TYPE,
  LIFECYCLE_EVENTS,
  LIFECYCLE_PURPOSES,
  LIFECYCLE_REASONS,
  type LifecycleEventName,
} from './events/vocabulary.js'
// Keys
export { coseKeyFromMap, coseKeyMap, decodeCoseKey, encodeCoseKey } from './keys/cose-key.js'
export {
  generateSigningKey,
  publicPart,
  signingKeyFromPrivateKey,
  verificationKey,
} from './keys/generate-key.js'
export { decodeCoseKeySet, encodeCoseKeySet, findKeyByKid } from './keys/key-set.js'
export type { SigningKey, VerificationKey } from './keys/key-types.js'
export {
  COSE_KEY,
  CRV,
  coseKeyThumbprint,
  KTY,
  type PublicKeyMembers,
  publicKeyMembers,
  thumbprintInput,
} from './keys/thumbprint.js'
// Transparency log service (registration, receipts, checkpoints, key rotation) and its storage port
export {
  type AppendBatch,
  type AppendPlan,
  type AppendState,
  checkAppendBatch,
  frontierAddresses,
  type LedgerEntry,
  type LedgerStorage,
  type LogState,
  type SignedRoot,
  type StoredCheckpoint,
  type StoredLogKey,
  type SubjectQuery,
} from './log/ledger-storage.js'
export { MemoryLedgerStorage } from './log/memory-ledger-storage.js'
export { PrefetchedNodeStore } from './log/prefetched-node-store.js'
export {
  checkRegistrationPolicy,
  checkStatementSize,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_STATEMENT_BYTES,
  type RegistrationPolicy,
} from './log/registration-policy.js'
export {
  type ConsistencyProofResult,
  createTransparencyLog,
  type Registration,
  type TransparencyLog,
  type TransparencyLogOptions,
  type TreeHead,
} from './log/transparency-log.js'
// Merkle tree (RFC 9162)
export { emptyRoot, HASH_SIZE, leafHash, nodeHash } from './merkle/hash.js'
export {
  MemoryNodeStore,
  type NodeAddress,
  type NodeStore,
  type StoredNode,
} from './merkle/node-store.js'
export {
  consistencyPath,
  inclusionPath,
  type NodeReader,
  nodesForConsistencyProof,
  nodesForInclusionProof,
  nodesForRoot,
  rootOf,
  subtreeHash,
} from './merkle/proofs.js'
export { merkleTreeHash } from './merkle/reference-mth.js'
export { MerkleTree } from './merkle/tree.js'
export { rootFromConsistencyProof, verifyConsistency } from './merkle/verify-consistency.js'
export {
  createInclusionChecker,
  type InclusionChecker,
  rootFromInclusionProof,
  verifyInclusion,
} from './merkle/verify-inclusion.js'
// Receipts (RFC 9942) and transparent statements (RFC 9943)
export {
  type CreateConsistencyReceiptOptions,
  createConsistencyReceipt,
  createConsistencyReceiptFromTree,
  type VerifiedConsistencyReceipt,
  type VerifyConsistencyReceiptOptions,
  verifyConsistencyReceipt,
} from './receipt/consistency-receipt.js'
export {
  type CreateReceiptOptions,
  createReceipt,
  createReceiptFromTree,
  type VerifiedReceipt,
  type VerifyReceiptOptions,
  verifyReceipt,
} from './receipt/inclusion-receipt.js'
export {
  type ConsistencyProof,
  decodeConsistencyProof,
  decodeInclusionProof,
  encodeConsistencyProof,
  encodeInclusionProof,
  type InclusionProof,
} from './receipt/proof-codec.js'
export type { ReceiptClaims, ReceiptSigner } from './receipt/receipt-header.js'
export {
  createReceiptVerifier,
  type ReceiptCheck,
  type ReceiptToVerify,
  type ReceiptVerifier,
  type ReceiptVerifierOptions,
  verifyReceipts,
} from './receipt/receipt-verifier.js'
export {
  attachReceipt,
  type ReceiptVerdict,
  receiptsOf,
  type TransparentStatementVerdict,
  type VerifyTransparentStatementOptions,
  verifyTransparentStatement,
} from './receipt/transparent-statement.js'
// Signed statements (RFC 9943 §6, RFC 9995)
export { type CwtClaims, numericDate } from './statement/cwt-claims.js'
export {
  HASH_ENVELOPE_ALGORITHMS,
  type HashEnvelopeAlgorithm,
  hashAlgorithmById,
  hashPreimage,
} from './statement/hash-envelope.js'
export { emptyUnprotected, statementLeafHash } from './statement/leaf.js'
export {
  type CreateSignedStatementOptions,
  createSignedStatement,
  readStatementHeaders,
  type VerifiedStatement,
  type VerifySignedStatementOptions,
  verifySignedStatement,
} from './statement/signed-statement.js'
