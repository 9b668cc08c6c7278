/**
 * @module Test support: the core draft's informative JSON Schema (draft-07, `vcon_json_schema.json` from the
 * corpus), compiled once with ajv and ajv-formats (format checks on: uuid, date-time, uri).
 */
import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import { corpusPath } from '../corpus.js'

const schema = JSON.parse(readFileSync(corpusPath('spec-examples/vcon_json_schema.json'), 'utf8'))
const ajv = new Ajv({ allErrors: true, strict: false })
addFormats.default(ajv)
const validate = ajv.compile(schema)

/** The schema errors of a value as "pointer message" strings; empty when it passes. */
export function draftSchemaErrors(value: unknown): string[] {
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)
}
