/**
 * @module The set of extensions a reader supports. `critical` is enforced against it (core draft §2.5): a vCon
 * naming an unsupported critical extension is refused.
 */
import { VconError } from '../errors/vcon-error.js'
import type { VconExtension } from './extension.js'

/** A lookup of supported extensions by token and alias. Immutable once made. */
export class ExtensionRegistry {
  private readonly byName = new Map<string, VconExtension>()
  private readonly modules: readonly VconExtension[]

  constructor(extensions: readonly VconExtension[]) {
    for (const ext of extensions) {
      for (const name of [ext.name, ...(ext.aliases ?? [])]) {
        if (this.byName.has(name)) {
          throw new VconError('VCON_BAD_ARGUMENT', `Two extensions claim the name "${name}".`)
        }
        this.byName.set(name, ext)
      }
    }
    this.modules = [...extensions]
  }

  /** The module for a token or alias (case sensitive), if supported. */
  get(name: string): VconExtension | undefined {
    return this.byName.get(name)
  }

  /** True when the token or alias is supported. */
  has(name: string): boolean {
    return this.byName.has(name)
  }

  /** Every registered module, in registration order. */
  list(): readonly VconExtension[] {
    return this.modules
  }

  /** A new registry with more modules (e.g. an application's own extension). */
  with(...extensions: VconExtension[]): ExtensionRegistry {
    return new ExtensionRegistry([...this.modules, ...extensions])
  }
}
