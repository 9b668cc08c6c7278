/**
 * @module The builder's last step (`build()`): writes the parts it holds out as a vCon object, members in the
 * order of core draft §4.1, then validates it (strict unless told otherwise) and deep-freezes it. The inverse of
 * load-vcon.ts, which reads an existing vCon into the same parts.
 */
import { VconError } from '../errors/vcon-error.js'
import type { ExtensionRegistry } from '../extensions/registry.js'
import { deepFreeze } from '../internal/deep.js'
import type { JsonValue, Vcon } from '../model/vcon.js'
import { VCON_VERSION } from '../model/vocabulary.js'
import type { Issue, ValidationMode } from '../validate/issue.js'
import { validateVcon } from '../validate/validate-vcon.js'
import { cloneJson } from './clone-json.js'
import type { LoadedVcon } from './load-vcon.js'

type Obj = Record<string, JsonValue>

/** Options of `build()`. */
export interface BuildOptions {
  /**
   * Validation mode, strict by default. Lenient accepts what the draft only requires of strict readers, e.g.
   * an attachment that belongs to no dialog (notes §g.7).
   */
  readonly mode?: ValidationMode
}

/** The parts of the vCon a builder holds: what `loadVcon` copies, plus the uuid and a definite `created_at`. */
export interface VconParts extends LoadedVcon {
  readonly uuid: string
  readonly createdAt: string
}

/** The vCon as built so far, before validation and freezing (a fresh copy each time). */
function toVconObject(parts: VconParts): Obj {
  const out: Obj = { vcon: VCON_VERSION, uuid: parts.uuid }
  if (parts.extensions.length > 0) out.extensions = [...parts.extensions]
  if (parts.critical.length > 0) out.critical = [...parts.critical]
  out.created_at = parts.createdAt
  if (parts.updatedAt !== undefined) out.updated_at = parts.updatedAt
  if (parts.subject !== undefined) out.subject = parts.subject
  if (parts.redacted !== undefined) out.redacted = parts.redacted
  if (parts.amended !== undefined) out.amended = parts.amended
  out.parties = parts.parties
  out.dialog = parts.dialog
  out.analysis = parts.analysis
  out.attachments = parts.attachments
  for (const key of Object.keys(parts.other)) {
    Object.defineProperty(out, key, {
      value: parts.other[key],
      enumerable: true,
      writable: true,
      configurable: true,
    })
  }
  return cloneJson(out, 'vcon') as Obj
}

function summarise(issues: readonly Issue[]): string {
  const errors = issues.filter((i) => i.severity === 'error')
  const shown = errors.slice(0, 3).map((i) => `${i.pointer || '/'}: ${i.message}`)
  const more = errors.length > 3 ? ` (and ${errors.length - 3} more)` : ''
  return `${shown.join('; ')}${more}`
}

/**
 * Returns the vCon made of `parts`: a new, deep-frozen object that passed validation in `mode`. Throws VconError
 * VCON_INVALID with every issue when validation finds an error; `parts` are copied, never frozen.
 */
export function assembleVcon(
  parts: VconParts,
  mode: ValidationMode,
  registry: ExtensionRegistry | undefined,
): Vcon {
  const vcon = toVconObject(parts)
  const result = validateVcon(vcon, {
    mode,
    ...(registry === undefined ? {} : { registry }),
  })
  if (!result.valid) {
    throw new VconError(
      'VCON_INVALID',
      `The built vCon is not valid (${mode} mode): ${summarise(result.issues)}`,
      { issues: result.issues },
    )
  }
  return deepFreeze(vcon, Number.POSITIVE_INFINITY) as unknown as Vcon
}
