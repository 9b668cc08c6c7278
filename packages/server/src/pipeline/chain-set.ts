/**
 * @module The chains a server runs, resolved from configuration: which chain an ingress list feeds, and each
 * chain's step instances. Built by pipeline/build-chains.ts.
 */
import type { ChainConfig } from '../config/server-config.js'
import type { Step } from './step.js'

export interface Chain {
  readonly config: ChainConfig
  readonly steps: readonly Step[]
  /** The purposes of each step (the configuration's `purposes:`, else the step's own), checked before it runs. */
  readonly purposes: readonly (readonly string[])[]
}

export interface ChainSet {
  byName(name: string): Chain | undefined
  /** The chains fed by an ingress list (several chains may share a list: fan-out). */
  forIngress(list: string): readonly Chain[]
  all(): readonly Chain[]
}
