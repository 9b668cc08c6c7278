/**
 * @module The CBOR forms of RFC9162_SHA256 proofs inside a receipt's verifiable data structure proofs (RFC 9942
 * §5.2, §5.3): each proof is a byte string wrapping the CBOR array
 *   inclusion:   [tree-size: uint, leaf-index: uint, inclusion-path: [* bstr]]
 *   consistency: [tree-size-1: uint, tree-size-2: uint, consistency-path: [* bstr]]
 * RFC 9942's CDDL writes the paths as [+ bstr]; a tree of one leaf has an empty inclusion path (RFC 9162
 * §2.1.3.1: PATH(0, {d(0)}) = {}), so an empty path is written and accepted for that case only.
 */
import { decodeStrict } from '../cbor/decode.js'
import { byteStringHead, cborHead, concatBytes } from '../cbor/encode.js'
import { LedgerError } from '../errors/ledger-error.js'
import { HASH_SIZE, isTreeCount } from '../merkle/hash.js'

/** An RFC 9162 inclusion proof as a receipt carries it. */
export interface InclusionProof {
  readonly treeSize: number
  readonly leafIndex: number
  readonly inclusionPath: readonly Uint8Array[]
}

/** An RFC 9162 consistency proof as a receipt carries it. */
export interface ConsistencyProof {
  readonly treeSize1: number
  readonly treeSize2: number
  readonly consistencyPath: readonly Uint8Array[]
}

function invalid(message: string): LedgerError {
  return new LedgerError('LEDGER_PROOF_INVALID', message)
}

/** 0x83: an array of three items. */
const TRIPLE_HEAD = Uint8Array.of(0x83)

/**
 * [a, b, [* bstr]] in deterministic CBOR, written by hand: the log writes one per receipt, and the fixed shape
 * makes the generic encoder pure overhead (the codec test checks both give the same bytes).
 */
function encodeTriple(a: number, b: number, path: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [
    TRIPLE_HEAD,
    cborHead(0, a),
    cborHead(0, b),
    cborHead(4, path.length),
  ]
  for (const hash of path) parts.push(byteStringHead(hash.length), hash)
  return concatBytes(parts)
}

/** bstr .cbor [tree-size, leaf-index, inclusion-path] (RFC 9942 §5.2): the encoded array, to wrap in a bstr. */
export function encodeInclusionProof(proof: InclusionProof): Uint8Array {
  return encodeTriple(proof.treeSize, proof.leafIndex, proof.inclusionPath)
}

/** bstr .cbor [tree-size-1, tree-size-2, consistency-path] (RFC 9942 §5.3). */
export function encodeConsistencyProof(proof: ConsistencyProof): Uint8Array {
  return encodeTriple(proof.treeSize1, proof.treeSize2, proof.consistencyPath)
}

function readTriple(bytes: unknown, what: string): [number, number, Uint8Array[]] {
  if (!(bytes instanceof Uint8Array))
    throw invalid(`Each ${what} must be a byte string wrapping CBOR.`)
  let value: unknown
  try {
    value = decodeStrict(bytes)
  } catch (error) {
    throw invalid(`The ${what} is not strict CBOR: ${(error as Error).message}`)
  }
  if (!Array.isArray(value) || value.length !== 3) {
    throw invalid(`The ${what} must be a three-element array (RFC 9942 §5).`)
  }
  const [a, b, path] = value as unknown[]
  if (!isTreeCount(a) || !isTreeCount(b))
    throw invalid(`The sizes of the ${what} must be unsigned integers.`)
  if (!Array.isArray(path)) throw invalid(`The path of the ${what} must be an array of hashes.`)
  for (const element of path as unknown[]) {
    // RFC9162_SHA256 hashes are 32 bytes; checking here closes the short-hash false accepts of scitt.md §3.1.
    if (!(element instanceof Uint8Array) || element.length !== HASH_SIZE) {
      throw invalid(`Every hash in the path of the ${what} must be ${HASH_SIZE} bytes.`)
    }
  }
  return [a, b, path as Uint8Array[]]
}

/** Decodes one inclusion proof bstr; checks leaf-index < tree-size (RFC 9162 §2.1.3.2 step 1). */
export function decodeInclusionProof(bytes: unknown): InclusionProof {
  const [treeSize, leafIndex, inclusionPath] = readTriple(bytes, 'inclusion proof')
  if (leafIndex >= treeSize)
    throw invalid(`Leaf index ${leafIndex} is not below tree size ${treeSize}.`)
  return { treeSize, leafIndex, inclusionPath }
}

/** Decodes one consistency proof bstr; checks 0 < tree-size-1 < tree-size-2 and a non-empty path. */
export function decodeConsistencyProof(bytes: unknown): ConsistencyProof {
  const [treeSize1, treeSize2, consistencyPath] = readTriple(bytes, 'consistency proof')
  if (treeSize1 === 0 || treeSize1 >= treeSize2) {
    throw invalid(
      `A consistency proof needs 0 < tree-size-1 < tree-size-2, not ${treeSize1} and ${treeSize2}.`,
    )
  }
  if (consistencyPath.length === 0)
    throw invalid('A consistency path is never empty (RFC 9162 §2.1.4.2 step 1).')
  return { treeSize1, treeSize2, consistencyPath }
}
