/**
 * @module Benchmark: content hashing throughput beside raw node:crypto SHA-512 (goal: ratio ≥ 0.9).
 * Run: cd packages/vcon && node --conditions=vconkit-source --import tsx bench/hash.bench.ts
 * Prints one JSON line per variant. MB here is 10^6 bytes.
 */
import { createHash, randomFillSync } from 'node:crypto'
import { computeContentHash, createContentHasher } from '../src/hash/content-hash.js'

const SIZE = 64 * 1024 * 1024
const ROUNDS = 9
const CHUNK = 1024 * 1024

const buf = randomFillSync(Buffer.allocUnsafe(SIZE))

function time(fn: () => unknown): number {
  const start = process.hrtime.bigint()
  fn()
  return Number(process.hrtime.bigint() - start) / 1e9
}

function mbPerSec(seconds: number): number {
  return Math.round((SIZE / 1e6 / seconds) * 10) / 10
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

const variants: Record<string, () => unknown> = {
  computeContentHash: () => computeContentHash(buf),
  'createContentHasher (1 MiB chunks)': () => {
    const h = createContentHasher('sha512')
    for (let i = 0; i < SIZE; i += CHUNK) h.update(buf.subarray(i, i + CHUNK))
    return h.digest()
  },
}
const raw = (): unknown => createHash('sha512').update(buf).digest()

// Warm-up, then rounds interleaved so that CPU frequency drift and neighbours hit every variant alike.
raw()
for (const fn of Object.values(variants)) fn()
const times: Record<string, number[]> = { raw: [] }
for (const name of Object.keys(variants)) times[name] = []
for (let round = 0; round < ROUNDS; round++) {
  times.raw?.push(time(raw))
  for (const [name, fn] of Object.entries(variants)) times[name]?.push(time(fn))
}

const rawTimes = times.raw ?? []
const rawBest = mbPerSec(Math.min(...rawTimes))
const rawMedian = mbPerSec(median(rawTimes))
for (const name of Object.keys(variants)) {
  const t = times[name] ?? []
  const best = mbPerSec(Math.min(...t))
  const med = mbPerSec(median(t))
  console.log(
    JSON.stringify({
      name,
      bytes: SIZE,
      rounds: ROUNDS,
      mbPerSec: best,
      rawSha512MbPerSec: rawBest,
      ratio: Math.round((best / rawBest) * 1000) / 1000,
      medianMbPerSec: med,
      rawSha512MedianMbPerSec: rawMedian,
      medianRatio: Math.round((med / rawMedian) * 1000) / 1000,
    }),
  )
}
