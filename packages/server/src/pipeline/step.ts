/**
 * @module The step plugin interface (design §3): a step receives a vCon and a context and returns a result value
 * — continue with this vCon, stop, or fail with a reason — and never throws on purpose. Steps must be idempotent:
 * the queue is at-least-once, so a step may run twice on the same vCon.
 */
import type { Vcon } from '@vconkit/vcon'
import type { Logger } from '../observability/logger.js'

export interface StepContext {
  readonly chain: string
  readonly step: string
  /** 1 on the first delivery of this job. */
  readonly attempt: number
  readonly log: Logger
  /** Aborted when the step's timeout passes or the worker shuts down. */
  readonly signal: AbortSignal
  readonly now: () => number
}

export type StepResult =
  /** Go on with this vCon (the same object when unchanged; a new one when the step changed it). */
  | {
      readonly kind: 'continue'
      readonly vcon: Vcon
      readonly changed: boolean
      /**
       * Ingress lists to send this vCon to as well (the route step). The runner enqueues them for the chains
       * those lists feed as soon as the step returns, after the vCon is stored.
       */
      readonly forward?: readonly string[]
      /**
       * The exact JSON text to store instead of the vCon's serialisation: a signed (JWS) form of `vcon`. Only a
       * step that is its chain's last may return it (`last`), since nothing can change a signed vCon.
       */
      readonly stored?: string
      /**
       * A new vCon made from this one (a redacted version): the runner stores it (a uuid stored already is left
       * as it is, so a rerun adds nothing) and sends it to the ingress lists `to`.
       */
      readonly derived?: {
        readonly vcon: Vcon
        readonly json: string
        readonly to: readonly string[]
      }
    }
  /** Stop the chain here for this vCon, successfully (e.g. filtered out), with a reason. */
  | { readonly kind: 'stop'; readonly reason: string; readonly forward?: readonly string[] }
  /** Fail: retried with backoff unless `permanent`. */
  | { readonly kind: 'fail'; readonly reason: string; readonly permanent?: boolean }

export interface Step {
  /** The step's name in its chain. */
  readonly name: string
  /** The step type (`use` in the configuration). */
  readonly type: string
  /** Ingress lists this step may forward to (route): build-chains.ts checks they exist and form no cycle. */
  readonly routesTo?: readonly string[]
  /**
   * The processing purposes this step serves (lawful-basis-00 §5.2.3 purpose grants; consent/purposes.ts in
   * @vconkit/vcon): before it runs, the runner checks that every party's lawful basis permits each of them. No
   * purposes: the step only reads, stores or routes the vCon, and runs unless processing is restricted. A
   * chain's configuration may override them per step (`purposes:`).
   */
  readonly purposes?: readonly string[]
  /** The step must be its chain's last (sign: what it stores can no longer be changed by a step). */
  readonly last?: boolean
  run(vcon: Vcon, ctx: StepContext): Promise<StepResult>
}

/** A step type: validates its options (throwing ServerError CONFIG_INVALID naming the key) and makes steps. */
export interface StepFactory {
  readonly type: string
  create(name: string, options: Readonly<Record<string, unknown>>): Step
}
