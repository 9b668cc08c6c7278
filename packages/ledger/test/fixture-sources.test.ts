/**
 * The fixtures are copies of data others published, and fixtures/SOURCES.md is where the project says where
 * each one came from (JSON cannot carry a header). These tests keep that record and the copy in step: every
 * file lies in a folder SOURCES.md describes with its upstream repository, commit and licence file; the COSE
 * cases it lists by name are exactly those present; and the copy is byte for byte the one that was checked
 * against the shared corpus (vectors/ there), so a lost, added or edited vector fails here, not silently.
 * The shared corpus is not read at run time: CI has only the repository.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { describe, test } from 'node:test'

const FIXTURES = new URL('./fixtures/', import.meta.url)

/** Every file under fixtures/, as a relative path with '/', sorted. */
function fixtureFiles(): string[] {
  const out: string[] = []
  const walk = (dir: URL, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const url = new URL(name, dir)
      if (statSync(url).isDirectory()) walk(new URL(`${name}/`, dir), `${prefix}${name}/`)
      else out.push(`${prefix}${name}`)
    }
  }
  walk(FIXTURES, '')
  return out.sort()
}

/** The top-level bullets of SOURCES.md ("- `folder/`: text", continuation lines indented), by folder. */
function sourceEntries(): Map<string, string> {
  const text = readFileSync(new URL('SOURCES.md', FIXTURES), 'utf8')
  const entries = new Map<string, string>()
  for (const bullet of text.split(/\n(?=- `)/)) {
    const match = /^- `([^`]+)\/`: ([\s\S]*)$/.exec(bullet.trim())
    if (match) entries.set(match[1] as string, (match[2] as string).replace(/\s+/g, ' '))
  }
  return entries
}

/** `sign-fail-01..04, 06, 07` -> sign-fail-01, -02, -03, -04, -06, -07. */
function namedCases(entry: string): string[] {
  const names: string[] = []
  for (const m of entry.matchAll(/`(sign-(?:pass|fail))-(\d{2})\.\.(\d{2})((?:, \d{2})*)`/g)) {
    const [, stem, from, to, extra] = m as unknown as [string, string, string, string, string]
    for (let n = Number(from); n <= Number(to); n++)
      names.push(`${stem}-${String(n).padStart(2, '0')}`)
    for (const n of extra.split(', ').filter(Boolean)) names.push(`${stem}-${n}`)
  }
  return names.sort()
}

/**
 * SHA-256 over "path NUL sha256(content) LF" for every copied file (all but SOURCES.md), in path order. The
 * value below was computed on the copy after `diff -r` showed it identical to the shared corpus's vectors/
 * (transparency-dev/merkle 417fb0c, cose-wg/Examples 53c9d63); recompute it only after a deliberate re-copy.
 */
const COPY_DIGEST = 'da00552fb692138a0b6b9b936b637abc8f5a9f2cd88e558bc6e1dfb85befca30'

describe('test fixtures and fixtures/SOURCES.md', () => {
  const files = fixtureFiles()
  const entries = sourceEntries()

  test('every file lies in a folder SOURCES.md describes, with repository, commit and licence', () => {
    assert.deepEqual([...entries.keys()].sort(), ['cose-sign1', 'rfc9162-merkle'])
    for (const file of files) {
      if (file === 'SOURCES.md') continue
      const folder = file.split('/')[0] as string
      const entry = entries.get(folder)
      assert.ok(entry !== undefined, `${file}: SOURCES.md has no entry for ${folder}/`)
      assert.match(entry, /from [\w.-]+\/[\w.-]+ \(.*commit [0-9a-f]{7,40}/, `${folder}/ origin`)
      assert.match(entry, new RegExp(`see \`${folder}/LICENSE\``), `${folder}/ licence named`)
      assert.ok(files.includes(`${folder}/LICENSE`), `${folder}/LICENSE is present`)
    }
  })

  test('the COSE cases SOURCES.md names are exactly the files present', () => {
    const named = namedCases(entries.get('cose-sign1') ?? '')
    const present = files
      .filter((f) => f.startsWith('cose-sign1/') && f.endsWith('.json'))
      .map((f) => f.slice('cose-sign1/'.length, -'.json'.length))
    assert.equal(named.length, 9)
    assert.deepEqual(present, named)
  })

  test('the Merkle files are all under the testdata folders SOURCES.md names', () => {
    const entry = entries.get('rfc9162-merkle') ?? ''
    for (const dir of ['testdata/inclusion/', 'testdata/consistency/']) {
      assert.ok(entry.includes(`\`${dir}**\``), `SOURCES.md names ${dir}`)
    }
    const stray = files.filter(
      (f) =>
        f.startsWith('rfc9162-merkle/') &&
        f !== 'rfc9162-merkle/LICENSE' &&
        !/^rfc9162-merkle\/testdata\/(inclusion|consistency)\/.+\.json$/.test(f),
    )
    assert.deepEqual(stray, [])
  })

  test('the copy is byte for byte the one checked against the shared corpus', () => {
    const hash = createHash('sha256')
    for (const file of files) {
      if (file === 'SOURCES.md') continue
      const content = createHash('sha256').update(readFileSync(new URL(file, FIXTURES)))
      hash.update(`${file}\0${content.digest('hex')}\n`)
    }
    assert.equal(files.length, 1 + 98 + 98 + 9 + 2)
    assert.equal(hash.digest('hex'), COPY_DIGEST)
  })
})
