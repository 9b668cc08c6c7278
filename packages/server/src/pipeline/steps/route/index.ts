/**
 * @module The `route` step: sends the vCon on to other ingress lists (the chains they feed) when a condition
 * over it holds, by tag or by a pointer condition (condition/condition.ts). The runner enqueues the routed
 * jobs after the step returns. Idempotent in effect: a rerun makes the same decision, and a duplicate
 * delivery downstream is what at-least-once already allows.
 */
import { compileCondition, type Predicate } from '../../condition/condition.js'
import { checkKeys, optEnum, optionError, optStringList } from '../../options/read-options.js'
import type { StepFactory } from '../../step.js'

/** One route: where to, and when (always, when `when` is absent). */
export interface RouteRule {
  readonly to: readonly string[]
  readonly when?: unknown
}

/** Options of the route step. */
export interface RouteStepOptions {
  /** The routes, checked in order. */
  readonly routes: readonly RouteRule[]
  /** `all` (default): every route that matches; `first`: only the first one that matches. */
  readonly match: 'all' | 'first'
  /**
   * When at least one route matched: `continue` this chain (default) or `stop` it here. (Not named `then`: an
   * object with a `then` member is taken for a promise by `await`.)
   */
  readonly onMatch: 'continue' | 'stop'
}

const KEYS = ['routes', 'match', 'onMatch'] as const

interface CompiledRoute {
  readonly to: readonly string[]
  readonly when: Predicate | undefined
}

function readRoutes(options: Readonly<Record<string, unknown>>): CompiledRoute[] {
  const raw = options.routes
  if (!Array.isArray(raw) || raw.length === 0) {
    throw optionError('routes', 'is required: a list of { to: [ingress lists], when: condition }')
  }
  return raw.map((route: unknown, i) => {
    const key = `routes[${i}]`
    if (typeof route !== 'object' || route === null || Array.isArray(route)) {
      throw optionError(key, 'must be an object { to, when }')
    }
    const r = route as Record<string, unknown>
    for (const k of Object.keys(r)) {
      if (k !== 'to' && k !== 'when')
        throw optionError(`${key}.${k}`, 'is not part of a route; a route has to and when')
    }
    const to = optStringList({ [`${key}.to`]: r.to }, `${key}.to`, { required: true }) ?? []
    if (to.length === 0) throw optionError(`${key}.to`, 'must name at least one ingress list')
    return { to, when: r.when === undefined ? undefined : compileCondition(r.when, `${key}.when`) }
  })
}

/** Reads and checks the options (conditions are compiled here, so errors show at start). */
export function readRouteOptions(options: Readonly<Record<string, unknown>>): RouteStepOptions {
  checkKeys('route', options, KEYS)
  readRoutes(options)
  return {
    routes: (options.routes as readonly Record<string, unknown>[]).map((r) => ({
      to: typeof r.to === 'string' ? [r.to] : (r.to as string[]),
      ...(r.when === undefined ? {} : { when: r.when }),
    })),
    match: optEnum(options, 'match', ['all', 'first'], 'all'),
    onMatch: optEnum(options, 'onMatch', ['continue', 'stop'], 'continue'),
  }
}

export const routeStepFactory: StepFactory = {
  type: 'route',
  create(name, raw) {
    const options = readRouteOptions(raw)
    const routes = readRoutes(raw)
    const routesTo = [...new Set(routes.flatMap((r) => r.to))]
    return {
      name,
      type: 'route',
      routesTo,
      async run(vcon) {
        const lists: string[] = []
        for (const route of routes) {
          if (route.when !== undefined && !route.when(vcon)) continue
          for (const list of route.to) if (!lists.includes(list)) lists.push(list)
          if (options.match === 'first') break
        }
        if (lists.length === 0) return { kind: 'continue', vcon, changed: false }
        if (options.onMatch === 'stop') {
          return { kind: 'stop', reason: `routed to ${lists.join(', ')}`, forward: lists }
        }
        return { kind: 'continue', vcon, changed: false, forward: lists }
      },
    }
  },
}
