/**
 * @module The RFC 9162 §2.1.1 hashing rules over SHA-256: domain-separated leaf and interior node hashes, the
 * empty-tree hash, and the power-of-two split used by every Merkle Tree Hash recursion.
 */
import { hash } from 'node:crypto'
import { sha256 } from '../internal/bytes.js'

/** Size in bytes of every hash in an RFC9162_SHA256 tree. */
export const HASH_SIZE = 32

const LEAF_PREFIX = Uint8Array.of(0x00)
const NODE_PREFIX = Uint8Array.of(0x01)

/** MTH({d(0)}) = SHA-256(0x00 || d(0)) (RFC 9162 §2.1.1): the hash of one leaf input. */
export function leafHash(leafInput: Uint8Array): Uint8Array {
  return sha256(LEAF_PREFIX, leafInput)
}

/** Scratch input of nodeHash: hashing is synchronous, so one buffer serves every call. */
const NODE_INPUT = new Uint8Array(1 + 2 * HASH_SIZE)

/** SHA-256(0x01 || left || right) (RFC 9162 §2.1.1): the hash of an interior node. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length !== HASH_SIZE || right.length !== HASH_SIZE) {
    // Never reached through the verifiers (they check lengths first); kept exact for any other caller.
    return sha256(NODE_PREFIX, left, right)
  }
  NODE_INPUT[0] = 0x01
  NODE_INPUT.set(left, 1)
  NODE_INPUT.set(right, 1 + HASH_SIZE)
  // One-shot crypto.hash (Node >= 20.12) skips the Hash object that createHash allocates per call.
  const digest = hash('sha256', NODE_INPUT, 'buffer')
  return new Uint8Array(digest.buffer, digest.byteOffset, digest.byteLength)
}

/** MTH({}) = SHA-256() (RFC 9162 §2.1.1): the root of the empty tree. */
export function emptyRoot(): Uint8Array {
  return sha256()
}

/** k, the largest power of two smaller than n (n >= 2), as RFC 9162 §2.1.1 splits a list of n leaves. */
export function largestPowerOfTwoBelow(n: number): number {
  let k = 1
  while (k * 2 < n) k *= 2
  return k
}

/** True when n is 2^L for some L >= 0 (exact for every safe integer, unlike a floating-point log2). */
export function isPowerOfTwo(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < 1) return false
  let k = 1
  while (k < n) k *= 2
  return k === n
}

/** L such that 2^L = n, for n a power of two. */
export function log2Exact(n: number): number {
  let level = 0
  for (let k = 1; k < n; k *= 2) level++
  return level
}

/** True for a tree size or leaf index: an integer in [0, 2^53). */
export function isTreeCount(n: unknown): n is number {
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
}
