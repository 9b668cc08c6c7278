/**
 * Every unsigned vCon of the shared corpus (real files and the draft's examples) upgrades to the 0.4.0 shape
 * with no legacy name left and every body consistent with its encoding, idempotently and without mutation
 * (corpus/README.md; notes §d).
 */
import assert from 'node:assert/strict'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { describe, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { upgradeVcon } from '../src/upgrade/upgrade-vcon.js'
import { isObject } from '../src/validate/primitives.js'
import {
  inconsistentBodies,
  legacyNamesLeft,
  parentPointer,
  resolvePointer,
} from './support/upgrade-checks.js'

const CORPUS = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url))

/** Files that are not unsigned vCon objects: the schema, media, and the draft's non-vCon include test. */
const NOT_VCONS = new Set(['vcon_json_schema.json', 'simple-vcon.vcon'])

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? walk(path) : [path]
  })
}

/** Unsigned vCon objects only: the JWS (payload) and JWE (ciphertext) forms are not upgraded. */
const files = ['real', 'spec-examples']
  .flatMap((dir) => walk(join(CORPUS, dir)))
  .filter(
    (path) => /\.(json|vcon)$/.test(path) && !NOT_VCONS.has(path.slice(path.lastIndexOf('/') + 1)),
  )
  .map((path) => ({
    name: relative(CORPUS, path),
    value: JSON.parse(readFileSync(path, 'utf8')) as unknown,
  }))
  .filter(
    (f): f is { name: string; value: Record<string, unknown> } =>
      isObject(f.value) &&
      !Object.hasOwn(f.value, 'payload') &&
      !Object.hasOwn(f.value, 'ciphertext'),
  )

describe('upgrade of the corpus', () => {
  test('finds the corpus (real and spec-examples)', () => {
    assert.ok(files.filter((f) => f.name.startsWith('real/')).length >= 30, 'real files missing')
    assert.ok(
      files.filter((f) => f.name.startsWith('spec-examples/')).length >= 10,
      'examples missing',
    )
  })

  for (const { name, value } of files) {
    test(name, () => {
      const before = structuredClone(value)
      const r = upgradeVcon(value)
      assert.deepEqual(value, before, 'input mutated')
      assert.equal(r.vcon.vcon, '0.4.0')
      assert.deepEqual(legacyNamesLeft(r.vcon), [], 'legacy names left')
      assert.deepEqual(inconsistentBodies(r.vcon), [], 'bodies inconsistent with their encoding')
      for (const issue of r.issues) {
        assert.equal(issue.severity, 'warning')
        assert.ok(resolvePointer(value, parentPointer(issue.pointer)), `pointer ${issue.pointer}`)
      }
      const again = upgradeVcon(r.vcon)
      assert.deepEqual(again.vcon, r.vcon, 'not idempotent')
      assert.deepEqual(again.issues, [], 'second upgrade reported repairs')
    })
  }

  test('known files are read as the versions they really are', () => {
    const from = (suffix: string) => {
      const file = files.find((f) => f.name.endsWith(suffix))
      assert.ok(file, suffix)
      return upgradeVcon(file.value)
    }
    // Says 0.3.0 but uses mimetype: really 0.0.x (the issue's "lies" case).
    assert.equal(from('sample_vcon_with_external_refs.json').from, '0.0.1')
    // Says "1.0": sniffed, with an unknown-version warning.
    const viewer = from('vscode-vcon-viewer/sample.vcon.json')
    assert.equal(viewer.from, '0.0.1')
    assert.equal(viewer.issues.find((i) => i.pointer === '/vcon')?.code, 'unknown-version')
    // Hex SHA-512 in the 0.0.1 hash pair becomes an 86-character base64url digest.
    const cat1 = from('cat1_vcon.json')
    const hash = (cat1.vcon.dialog as Record<string, unknown>[])[0]?.content_hash
    assert.match(String(hash), /^sha512-[A-Za-z0-9_-]{86}$/)
    // The draft's HEAD examples are 0.4.0 without a vcon string.
    assert.equal(from('spec-examples/ab_call_int_rec.vcon').from, '0.4.0')
  })
})
