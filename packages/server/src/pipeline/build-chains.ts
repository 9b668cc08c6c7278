/**
 * @module Turns the chains of the configuration into running step instances, once at start. Every problem is
 * a ServerError CONFIG_INVALID naming the key (`chains[1].steps[0].use`, `chains[0].steps[2].options.url`), so
 * a bad configuration stops the server before it accepts work: unknown step types, bad options, duplicate
 * names, routes to lists no chain reads, and routes that would loop forever.
 */
import { createPurposeVocabulary, type PurposeVocabulary } from '@vconkit/vcon'
import type { ChainConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import type { Chain, ChainSet } from './chain-set.js'
import type { Step } from './step.js'
import type { StepRegistry } from './step-registry.js'

function configError(message: string, cause?: unknown): ServerError {
  return new ServerError('CONFIG_INVALID', message, cause === undefined ? {} : { cause })
}

function createStep(registry: StepRegistry, config: ChainConfig, i: number, j: number): Step {
  const stepConfig = config.steps[j]
  if (stepConfig === undefined)
    throw new ServerError('INTERNAL', `chains[${i}].steps[${j}] is missing`)
  const at = `chains[${i}].steps[${j}]`
  const factory = registry.get(stepConfig.use)
  if (factory === undefined) {
    throw configError(
      `${at}.use: unknown step type ${JSON.stringify(stepConfig.use)} in chain "${config.name}"; the known types are ${registry.types().join(', ')}`,
    )
  }
  try {
    return factory.create(stepConfig.name, stepConfig.options)
  } catch (error) {
    if (error instanceof ServerError && error.code === 'CONFIG_INVALID') {
      // Factories name the option (`options.url ...`); the path in front makes it a full key.
      const message = error.message.startsWith('options.')
        ? `${at}.${error.message}`
        : `${at} (${stepConfig.use}): ${error.message}`
      throw configError(message, error)
    }
    const why = error instanceof Error ? error.message : String(error)
    throw configError(`${at} (${stepConfig.use}) could not be created: ${why}`, error)
  }
}

/** The purposes of step j: the configuration's, else the step's own; every one must be in the vocabulary. */
function stepPurposes(
  config: ChainConfig,
  step: Step,
  i: number,
  j: number,
  vocabulary: PurposeVocabulary,
): readonly string[] {
  const configured = config.steps[j]?.purposes
  const purposes = configured ?? step.purposes ?? []
  purposes.forEach((purpose, k) => {
    if (vocabulary.has(purpose)) return
    const known = vocabulary
      .list()
      .map((p) => p.name)
      .join(', ')
    throw configError(
      configured === undefined
        ? `chains[${i}].steps[${j}] (${step.type}): the step type serves the purpose "${purpose}", which the vocabulary lacks; add it under privacy.purposes`
        : `chains[${i}].steps[${j}].purposes[${k}]: "${purpose}" is not a known purpose; use one of ${known}, or add it under privacy.purposes`,
    )
  })
  return [...purposes]
}

/** Names the first cycle of routes between chains, if any (a vCon would go round it forever). */
function findRouteCycle(
  chains: readonly Chain[],
  byIngress: ReadonlyMap<string, Chain[]>,
): string[] | undefined {
  const edges = new Map<string, string[]>()
  for (const chain of chains) {
    const targets = chain.steps
      .flatMap((s) => s.routesTo ?? [])
      .flatMap((list) => (byIngress.get(list) ?? []).map((c) => c.config.name))
    edges.set(chain.config.name, [...new Set(targets)])
  }
  const state = new Map<string, 'open' | 'done'>()
  const path: string[] = []
  const visit = (name: string): string[] | undefined => {
    const seen = state.get(name)
    if (seen === 'done') return undefined
    if (seen === 'open') return [...path.slice(path.indexOf(name)), name]
    state.set(name, 'open')
    path.push(name)
    for (const next of edges.get(name) ?? []) {
      const cycle = visit(next)
      if (cycle !== undefined) return cycle
    }
    path.pop()
    state.set(name, 'done')
    return undefined
  }
  for (const chain of chains) {
    const cycle = visit(chain.config.name)
    if (cycle !== undefined) return cycle
  }
  return undefined
}

/**
 * Builds every chain's steps with the registry's factories and indexes chains by name and ingress list.
 * @throws ServerError CONFIG_INVALID naming the key at fault
 */
export function buildChains(
  configs: readonly ChainConfig[],
  registry: StepRegistry,
  vocabulary: PurposeVocabulary = createPurposeVocabulary(),
): ChainSet {
  const byName = new Map<string, Chain>()
  const byIngress = new Map<string, Chain[]>()
  const all: Chain[] = []
  configs.forEach((config, i) => {
    if (byName.has(config.name)) {
      throw configError(
        `chains[${i}].name: another chain is already named "${config.name}"; chain names must be unique`,
      )
    }
    const names = new Set<string>()
    const steps = config.steps.map((stepConfig, j) => {
      if (names.has(stepConfig.name)) {
        throw configError(
          `chains[${i}].steps[${j}].name: chain "${config.name}" already has a step named "${stepConfig.name}"; give each step a unique name (dead letters and metrics name steps by it)`,
        )
      }
      names.add(stepConfig.name)
      return createStep(registry, config, i, j)
    })
    steps.forEach((step, j) => {
      if (step.last === true && j !== steps.length - 1) {
        throw configError(
          `chains[${i}].steps[${j}].use: a ${step.type} step must be the last step of its chain ("${config.name}"), since nothing can change the vCon after it; move it to the end`,
        )
      }
    })
    const purposes = steps.map((step, j) => stepPurposes(config, step, i, j, vocabulary))
    const chain: Chain = { config, steps, purposes }
    byName.set(config.name, chain)
    all.push(chain)
    for (const list of new Set(config.ingress)) {
      const fed = byIngress.get(list)
      if (fed === undefined) byIngress.set(list, [chain])
      else fed.push(chain)
    }
  })
  all.forEach((chain, i) => {
    chain.steps.forEach((step, j) => {
      for (const list of step.routesTo ?? []) {
        if (!byIngress.has(list)) {
          throw configError(
            `chains[${i}].steps[${j}].options: step "${step.name}" routes to the list "${list}", which no chain reads; add it to a chain's ingress or fix the name`,
          )
        }
      }
    })
  })
  const cycle = findRouteCycle(all, byIngress)
  if (cycle !== undefined) {
    throw configError(
      `chains: routes form a loop (${cycle.join(' -> ')}), so a vCon could go round forever; remove one of the routes`,
    )
  }
  const none: readonly Chain[] = []
  return {
    byName: (name) => byName.get(name),
    forIngress: (list) => byIngress.get(list) ?? none,
    all: () => all,
  }
}
