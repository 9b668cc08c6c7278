import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, test } from 'node:test'
import { fromHex, toHex } from '../internal/bytes.js'
import { MerkleTree } from './tree.js'
import { verifyConsistency } from './verify-consistency.js'
import { verifyInclusion } from './verify-inclusion.js'

const root = new URL('../../test/fixtures/rfc9162-merkle/testdata/', import.meta.url)

function walk(dir: URL): URL[] {
  return readdirSync(dir).flatMap((name) => {
    const url = new URL(name, dir)
    return statSync(url).isDirectory()
      ? walk(new URL(`${name}/`, dir))
      : name.endsWith('.json')
        ? [url]
        : []
  })
}

const b64 = (s: string) => new Uint8Array(Buffer.from(s, 'base64'))
const rel = (url: URL) => url.pathname.slice(root.pathname.length)

interface InclusionCase {
  leafIdx: number
  treeSize: number
  root: string
  leafHash: string
  proof: string[] | null
  desc: string
  wantErr: boolean
}

interface ConsistencyCase {
  size1: number
  size2: number
  root1: string
  root2: string
  proof: string[] | null
  desc: string
  wantErr: boolean
}

/** The eight leaf inputs behind every tree of the vectors (vectors README). */
const LEAVES = [
  '',
  '00',
  '10',
  '2021',
  '3031',
  '40414243',
  '5051525354555657',
  '606162636465666768696a6b6c6d6e6f',
].map(fromHex)

/** RFC 6962 / 9162 roots of the first n of those leaves (transparency-dev/merkle testonly/constants.go). */
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
]

const tree = new MerkleTree()
for (const leaf of LEAVES) tree.append(leaf)

describe('RFC 9162 known roots', () => {
  test('the roots of sizes 0..8 over the reference leaves', () => {
    ROOTS.forEach((hex, size) => {
      assert.equal(toHex(tree.root(size)), hex, `size ${size}`)
    })
  })
})

const inclusionFiles = walk(new URL('inclusion/', root))
const consistencyFiles = walk(new URL('consistency/', root))

const readCase = (file: URL) => JSON.parse(readFileSync(file, 'utf8')) as { wantErr: boolean }

/** Cases per folder: how many files, and how many of them must verify (wantErr false). */
type Census = Record<string, { files: number; accept: number }>

function census(files: readonly URL[]): Census {
  const out: Census = {}
  for (const file of files) {
    const folder = rel(file).split('/').slice(0, -1).join('/')
    const entry = out[folder] ?? { files: 0, accept: 0 }
    out[folder] = entry
    entry.files++
    if (!readCase(file).wantErr) entry.accept++
  }
  return out
}

/*
 * The exact shape of the copy (fixtures/SOURCES.md: transparency-dev/merkle testdata at commit 417fb0c, copied
 * unchanged). A lower bound would let a lost file pass unnoticed, and a lost negative case is a check of
 * RFC 9162 §2.1.3.2 / §2.1.4.2 that silently stops running. Upstream derives one modified-proof case per proof
 * element and skips the edits an empty proof cannot take, hence the uneven folders. Each numbered folder and
 * single-entry/ has one happy path; consistency/additional/ has one accepted case (equal sizes, empty proof),
 * the inclusion additional/ folders none.
 */
const INCLUSION_CENSUS: Census = {
  'inclusion/0': { files: 13, accept: 1 },
  'inclusion/1': { files: 18, accept: 1 },
  'inclusion/2': { files: 18, accept: 1 },
  'inclusion/3': { files: 15, accept: 1 },
  'inclusion/4': { files: 18, accept: 1 },
  'inclusion/additional/0': { files: 3, accept: 0 },
  'inclusion/additional/1': { files: 3, accept: 0 },
  'inclusion/additional/2': { files: 3, accept: 0 },
  'inclusion/additional/3': { files: 3, accept: 0 },
  'inclusion/single-entry': { files: 4, accept: 1 },
}

const CONSISTENCY_CENSUS: Census = {
  'consistency/0': { files: 1, accept: 1 },
  'consistency/1': { files: 21, accept: 1 },
  'consistency/2': { files: 21, accept: 1 },
  'consistency/3': { files: 20, accept: 1 },
  'consistency/4': { files: 21, accept: 1 },
  'consistency/additional': { files: 14, accept: 1 },
}

describe('transparency-dev inclusion vectors', () => {
  test('the copy holds exactly the 98 inclusion cases (6 accept, 92 reject), folder by folder', () => {
    assert.deepEqual(census(inclusionFiles), INCLUSION_CENSUS)
    assert.equal(inclusionFiles.length, 98)
    assert.equal(inclusionFiles.filter((f) => !readCase(f).wantErr).length, 6)
  })

  for (const file of inclusionFiles) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as InclusionCase
    test(`${rel(file)}: ${c.desc} → ${c.wantErr ? 'reject' : 'accept'}`, () => {
      const ok = verifyInclusion(
        b64(c.leafHash),
        c.leafIdx,
        c.treeSize,
        (c.proof ?? []).map(b64),
        b64(c.root),
      )
      assert.equal(ok, !c.wantErr)
      if (!c.wantErr && c.treeSize <= LEAVES.length && toHex(b64(c.root)) === ROOTS[c.treeSize]) {
        // A happy path over the reference leaves: our tree must generate the very same proof.
        assert.deepEqual(
          tree.inclusionProof(c.leafIdx, c.treeSize).map(toHex),
          (c.proof ?? []).map((p) => toHex(b64(p))),
        )
      }
    })
  }
})

describe('transparency-dev consistency vectors', () => {
  test('the copy holds exactly the 98 consistency cases (6 accept, 92 reject), folder by folder', () => {
    assert.deepEqual(census(consistencyFiles), CONSISTENCY_CENSUS)
    assert.equal(consistencyFiles.length, 98)
    assert.equal(consistencyFiles.filter((f) => !readCase(f).wantErr).length, 6)
  })

  for (const file of consistencyFiles) {
    const c = JSON.parse(readFileSync(file, 'utf8')) as ConsistencyCase
    test(`${rel(file)}: ${c.desc} → ${c.wantErr ? 'reject' : 'accept'}`, () => {
      const ok = verifyConsistency(
        c.size1,
        c.size2,
        (c.proof ?? []).map(b64),
        b64(c.root1),
        b64(c.root2),
      )
      assert.equal(ok, !c.wantErr)
      if (
        !c.wantErr &&
        c.size1 > 0 &&
        c.size2 <= LEAVES.length &&
        toHex(b64(c.root2)) === ROOTS[c.size2] &&
        toHex(b64(c.root1)) === ROOTS[c.size1]
      ) {
        assert.deepEqual(
          tree.consistencyProof(c.size1, c.size2).map(toHex),
          (c.proof ?? []).map((p) => toHex(b64(p))),
        )
      }
    })
  }
})
