/**
 * @module The small schema language the configuration is described in. One tree (config-schema.ts) drives the
 * checker (check-schema.ts, errors that name the key and the fix), the defaults, and the published JSON Schema
 * (json-schema.ts), so the three cannot drift apart.
 */

interface NodeBase {
  /** One sentence for documentation and the JSON Schema `description`. */
  readonly description: string
}

/** What a whole number stands for; it decides the wording of errors and which fixes are offered ("5s" → 5000). */
export type IntegerUnit = 'ms' | 'bytes' | 'port' | 'count' | 'per-second'

export interface IntegerNode extends NodeBase {
  readonly kind: 'integer'
  readonly unit: IntegerUnit
  readonly min: number
  readonly max?: number
  readonly default?: number
}

export interface StringNode extends NodeBase {
  readonly kind: 'string'
  /** A regular expression (JSON Schema dialect: no flags) the whole value must match. */
  readonly pattern?: string
  /** Says in words what the pattern accepts, for errors ("a name of letters, digits, '.', '_' or '-'"). */
  readonly patternHint?: string
  /** Turns a value that fails the pattern into one that passes, when that is obvious ("my chain" → "my-chain"). */
  readonly repair?: (value: string) => string | undefined
  readonly minLength?: number
  readonly default?: string
  /** A value for documentation and for "missing" errors. */
  readonly example?: string
}

export interface EnumNode extends NodeBase {
  readonly kind: 'enum'
  readonly values: readonly string[]
  readonly default?: string
}

export interface ArrayNode extends NodeBase {
  readonly kind: 'array'
  readonly items: SchemaNode
  readonly minItems?: number
  /** The default when the key is absent; filled in through `items` (so item defaults apply too). */
  readonly default?: readonly unknown[]
}

export interface ObjectNode extends NodeBase {
  readonly kind: 'object'
  readonly fields: Readonly<Record<string, SchemaNode>>
  readonly required?: readonly string[]
  /** Keys that are accepted and dropped (e.g. `$schema`, which editors use). */
  readonly ignored?: readonly string[]
}

/** A mapping whose keys are free (step options): checked by the step itself when the chain is built. */
export interface OpenObjectNode extends NodeBase {
  readonly kind: 'open-object'
}

/**
 * A string shorthand or the full object form: `- validate` means `- use: validate`. The string goes into
 * `shorthandKey` of the object form before the object is checked.
 */
export interface ShorthandNode extends NodeBase {
  readonly kind: 'shorthand'
  readonly shorthandKey: string
  readonly object: ObjectNode
}

export type SchemaNode =
  | IntegerNode
  | StringNode
  | EnumNode
  | ArrayNode
  | ObjectNode
  | OpenObjectNode
  | ShorthandNode
