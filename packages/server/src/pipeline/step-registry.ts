/**
 * @module The step types a server knows, by name (`use` in a chain's configuration): the built-in ones, with
 * the dependencies they share (environment, one vendor rate limiter, the media fetcher), and any added by an
 * embedding application.
 */
import { createFetcher } from '@vconkit/vcon'
import { ServerError } from '../errors/server-error.js'
import type { StepFactory } from './step.js'
import { analyseStepFactory } from './steps/analyse/index.js'
import type { BuiltinStepDeps } from './steps/builtin-deps.js'
import { filterStepFactory } from './steps/filter/index.js'
import { redactStepFactory } from './steps/redact/index.js'
import { routeStepFactory } from './steps/route/index.js'
import { sampleStepFactory } from './steps/sample/index.js'
import { signStepFactory } from './steps/sign/index.js'
import { tagStepFactory } from './steps/tag/index.js'
import { transcribeStepFactory } from './steps/transcribe/index.js'
import { validateStepFactory } from './steps/validate/index.js'
import { webhookStepFactory } from './steps/webhook/index.js'
import { createVendorRateLimiter } from './vendor/rate-limiter.js'

/** Step factories by type name. */
export interface StepRegistry {
  get(type: string): StepFactory | undefined
  /** Every known type, sorted (for error messages). */
  types(): readonly string[]
}

/** A registry of the given factories; a type registered twice is a programming error. */
export function createStepRegistry(factories: readonly StepFactory[]): StepRegistry {
  const byType = new Map<string, StepFactory>()
  for (const factory of factories) {
    if (byType.has(factory.type)) {
      throw new ServerError('INTERNAL', `two step factories have the type "${factory.type}"`)
    }
    byType.set(factory.type, factory)
  }
  const types = [...byType.keys()].sort()
  return { get: (type) => byType.get(type), types: () => types }
}

/** The built-in step types: validate, tag, route, filter, sample, webhook, transcribe, analyse, sign, redact. */
export function builtinStepFactories(deps: Partial<BuiltinStepDeps> = {}): StepFactory[] {
  const full: BuiltinStepDeps = {
    env: deps.env ?? process.env,
    limiter: deps.limiter ?? createVendorRateLimiter(),
    createFetcher: deps.createFetcher ?? createFetcher,
  }
  return [
    validateStepFactory,
    tagStepFactory,
    routeStepFactory,
    filterStepFactory,
    sampleStepFactory,
    webhookStepFactory(full),
    transcribeStepFactory(full),
    analyseStepFactory(full),
    signStepFactory(full),
    redactStepFactory,
  ]
}

/** The registry of the built-in steps (plus `extra` factories from an embedding application). */
export function builtinStepRegistry(
  deps: Partial<BuiltinStepDeps> = {},
  extra: readonly StepFactory[] = [],
): StepRegistry {
  return createStepRegistry([...builtinStepFactories(deps), ...extra])
}
