/**
 * @module Locations of the vCon test corpus copied into fixtures (see fixtures/corpus/SOURCES.md).
 */
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The corpus root: real/, spec-examples/, certs/. */
export const CORPUS_DIR = fileURLToPath(new URL('./fixtures/corpus/', import.meta.url))

/** Absolute path of a corpus file, given its path relative to the corpus root. */
export function corpusPath(path: string): string {
  return join(CORPUS_DIR, path)
}

/** Every vCon-like file of the corpus (JSON and .vcon), relative to the corpus root, sorted. */
export function corpusVconFiles(): string[] {
  const out: string[] = []
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name)
      if (statSync(path).isDirectory()) walk(path)
      else if (/\.(vcon|json)$/.test(name) && name !== 'vcon_json_schema.json') {
        out.push(relative(CORPUS_DIR, path))
      }
    }
  }
  walk(join(CORPUS_DIR, 'real'))
  walk(join(CORPUS_DIR, 'spec-examples'))
  return out.sort()
}
