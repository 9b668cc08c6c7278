/**
 * @module Signed checkpoints: the log's periodic statement "my tree has this size and this root at this time",
 * which binds size and root together (a receipt signs only the root, RFC 9942 §5.2) and which auditors and
 * witnesses compare for the append-only and anti-split-view checks (scitt.md §4.1 steps 6-8).
 *
 * Format: a tagged COSE_Sign1 by the log key.
 *   protected:  1 alg, 4 kid, 16 typ = application/vnd.vconkit.checkpoint+cose,
 *               15 CWT claims {1 iss: the log's identity}, 395 vds = 1 (RFC9162_SHA256)
 *   payload:    deterministic CBOR map {1: tree_size (uint), 2: root_hash (bstr, 32), 3: timestamp (uint,
 *               milliseconds since the epoch, as RFC 9162 tree heads count time)}
 */
import { decodeStrict } from '../cbor/decode.js'
import { encodeDeterministic } from '../cbor/encode.js'
import {
  asLabelMap,
  type Label,
  type MapContext,
  optionalBytes,
  optionalMap,
  optionalUint,
  required,
} from '../cbor/label-map.js'
import type { CoseAlgorithmName } from '../cose/algorithms.js'
import { HEADER, VDS_RFC9162_SHA256 } from '../cose/header-labels.js'
import { resolveKey } from '../cose/resolve-key.js'
import { decodeSign1, signSign1, verifySign1 } from '../cose/sign1.js'
import { LedgerError } from '../errors/ledger-error.js'
import { bytesEqual } from '../internal/bytes.js'
import type { SigningKey, VerificationKey } from '../keys/key-types.js'
import { emptyRoot, HASH_SIZE, isTreeCount } from '../merkle/hash.js'
import { cwtClaimsMap, readCwtClaims } from '../statement/cwt-claims.js'

/** The `typ` of a checkpoint: distinct from statements and receipts, which the same log key also signs. */
export const CHECKPOINT_TYPE = 'application/vnd.vconkit.checkpoint+cose'

/** Keys of the checkpoint payload map. */
export const CHECKPOINT_FIELD = { treeSize: 1, rootHash: 2, timestamp: 3 } as const

/** A checkpoint's content. */
export interface Checkpoint {
  readonly treeSize: number
  readonly root: Uint8Array
  /** Milliseconds since the epoch. */
  readonly timestamp: number
}

/** Inputs of `createCheckpoint`. */
export interface CreateCheckpointOptions {
  readonly treeSize: number
  readonly root: Uint8Array
  /** When the tree had this size: a Date or milliseconds since the epoch. */
  readonly timestamp: Date | number
  /** The log's identity (CWT iss), the same as in its receipts. */
  readonly issuer: string
  readonly key: SigningKey
}

function invalid(message: string): LedgerError {
  return new LedgerError('LEDGER_CHECKPOINT_INVALID', message)
}

/** Signs a checkpoint. */
export function createCheckpoint(options: CreateCheckpointOptions): Uint8Array {
  const timestamp =
    options.timestamp instanceof Date ? options.timestamp.getTime() : options.timestamp
  if (!isTreeCount(options.treeSize))
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'treeSize must be a whole number >= 0.')
  if (!isTreeCount(timestamp))
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'timestamp must be a valid time after 1970.')
  if (!(options.root instanceof Uint8Array) || options.root.length !== HASH_SIZE) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', `root must be ${HASH_SIZE} bytes.`)
  }
  if (typeof options.issuer !== 'string' || options.issuer.length === 0) {
    throw new LedgerError('LEDGER_BAD_ARGUMENT', 'issuer must be a non-empty string.')
  }
  const payload = encodeDeterministic(
    new Map<Label, unknown>([
      [CHECKPOINT_FIELD.treeSize, options.treeSize],
      [CHECKPOINT_FIELD.rootHash, options.root],
      [CHECKPOINT_FIELD.timestamp, timestamp],
    ]),
  )
  return signSign1({
    key: options.key,
    protectedHeader: new Map<Label, unknown>([
      [HEADER.typ, CHECKPOINT_TYPE],
      [HEADER.cwtClaims, cwtClaimsMap({ iss: options.issuer })],
      [HEADER.vds, VDS_RFC9162_SHA256],
    ]),
    payload,
  })
}

/** A verified checkpoint. */
export interface VerifiedCheckpoint extends Checkpoint {
  readonly iss: string
  readonly kid: Uint8Array
  readonly alg: CoseAlgorithmName
}

/** Options of `verifyCheckpoint`. */
export interface VerifyCheckpointOptions {
  readonly logKeys: readonly VerificationKey[]
  /** When set, the checkpoint's iss must equal it. */
  readonly issuer?: string
}

const HEADER_CTX: MapContext = {
  where: 'protected header of the checkpoint',
  code: 'LEDGER_CHECKPOINT_INVALID',
}
const PAYLOAD_CTX: MapContext = { where: 'checkpoint payload', code: 'LEDGER_CHECKPOINT_INVALID' }

/** Reads and checks a checkpoint payload (deterministic CBOR, exactly the three fields). */
function readPayload(payload: Uint8Array): Checkpoint {
  let value: unknown
  try {
    value = decodeStrict(payload, { deterministic: true })
  } catch (error) {
    throw invalid(`The checkpoint payload is not deterministic CBOR: ${(error as Error).message}`)
  }
  const map = asLabelMap(value, PAYLOAD_CTX)
  if (map.size !== 3)
    throw invalid(
      'The checkpoint payload must hold exactly tree_size (1), root_hash (2), timestamp (3).',
    )
  const treeSize = required(
    optionalUint(map, CHECKPOINT_FIELD.treeSize, PAYLOAD_CTX),
    1,
    PAYLOAD_CTX,
  )
  const root = required(optionalBytes(map, CHECKPOINT_FIELD.rootHash, PAYLOAD_CTX), 2, PAYLOAD_CTX)
  const timestamp = required(
    optionalUint(map, CHECKPOINT_FIELD.timestamp, PAYLOAD_CTX),
    3,
    PAYLOAD_CTX,
  )
  if (root.length !== HASH_SIZE) throw invalid(`root_hash must be ${HASH_SIZE} bytes.`)
  if (treeSize === 0 && !bytesEqual(root, emptyRoot())) {
    throw invalid(
      'A checkpoint of the empty tree must carry SHA-256("") as its root (RFC 9162 §2.1.1).',
    )
  }
  return { treeSize, root, timestamp }
}

/** Verifies a signed checkpoint with the pinned log keys; throws LedgerError. */
export function verifyCheckpoint(
  bytes: Uint8Array,
  options: VerifyCheckpointOptions,
): VerifiedCheckpoint {
  const message = decodeSign1(bytes, { requireTag: true })
  const p = message.protectedHeader
  if (p.get(HEADER.typ) !== CHECKPOINT_TYPE) throw invalid(`typ (16) must be ${CHECKPOINT_TYPE}.`)
  if (p.get(HEADER.vds) !== VDS_RFC9162_SHA256) {
    throw new LedgerError(
      'LEDGER_VDS_UNSUPPORTED',
      'The checkpoint must be for vds 1 (RFC9162_SHA256).',
    )
  }
  const claimsMap = optionalMap(p, HEADER.cwtClaims, HEADER_CTX)
  if (claimsMap === undefined)
    throw invalid('The checkpoint must carry CWT claims (15) with the log iss.')
  const { iss } = readCwtClaims(claimsMap, { ...HEADER_CTX, where: 'checkpoint' })
  if (options.issuer !== undefined && iss !== options.issuer) {
    throw invalid(`The checkpoint was issued by ${iss}, not ${options.issuer}.`)
  }
  if (message.payload === null) throw invalid('The checkpoint payload must be attached.')
  const checkpoint = readPayload(message.payload)
  const key = resolveKey(message, options.logKeys, 'checkpoint', 'LEDGER_CHECKPOINT_INVALID')
  if (key.iss !== undefined && key.iss !== iss) {
    throw invalid(`The checkpoint names log ${iss}, but its key is pinned to ${key.iss}.`)
  }
  verifySign1(message, {
    key,
    understoodCritical: [HEADER.kid, HEADER.cwtClaims, HEADER.typ, HEADER.vds],
  })
  return { ...checkpoint, iss, kid: key.kid, alg: key.alg }
}
