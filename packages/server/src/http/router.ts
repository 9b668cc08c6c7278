/**
 * @module A small router: method + path pattern (`/v1/vcons/{uuid}/analysis`, literal segments such as
 * `vcons:bulk`). Where a literal and a parameter could both match (`/vcon/egress` vs `/vcon/{uuid}`), the route
 * with more literal segments wins. HEAD is answered by the GET route (node:http leaves out the body).
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE'

type Segment = { readonly literal: string } | { readonly param: string }

interface Compiled<R> {
  readonly route: R
  readonly method: HttpMethod
  readonly segments: readonly Segment[]
  readonly literals: number
}

/** What a route needs for matching. */
export interface RoutePattern {
  readonly method: HttpMethod
  /** `/a/{name}/b`: `{name}` matches one non-empty segment. */
  readonly path: string
}

export type RouteMatch<R> =
  | { readonly kind: 'found'; readonly route: R; readonly params: Readonly<Record<string, string>> }
  | { readonly kind: 'not-found' }
  | { readonly kind: 'method-not-allowed'; readonly allow: readonly string[] }
  | { readonly kind: 'bad-path' }

export interface Router<R> {
  match(method: string, pathname: string): RouteMatch<R>
}

function split(path: string): string[] {
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path
  return trimmed.split('/').slice(1)
}

/** Builds a router over `routes`. */
export function createRouter<R extends RoutePattern>(routes: readonly R[]): Router<R> {
  const compiled: Compiled<R>[] = routes.map((route) => {
    const segments = split(route.path).map((s): Segment => {
      const m = /^\{([a-zA-Z_]+)\}$/.exec(s)
      return m?.[1] !== undefined ? { param: m[1] } : { literal: s }
    })
    return {
      route,
      method: route.method,
      segments,
      literals: segments.filter((s) => 'literal' in s).length,
    }
  })
  return {
    match(method, pathname) {
      const parts = split(pathname)
      let best: { c: Compiled<R>; params: Record<string, string> } | undefined
      const allow = new Set<string>()
      let bestLiterals = -1
      for (const c of compiled) {
        if (c.segments.length !== parts.length) continue
        const params: Record<string, string> = {}
        let ok = true
        for (let i = 0; i < parts.length && ok; i++) {
          const seg = c.segments[i] as Segment
          const part = parts[i] as string
          if ('literal' in seg) ok = seg.literal === part
          else if (part === '') ok = false
          else {
            try {
              params[seg.param] = decodeURIComponent(part)
            } catch {
              return { kind: 'bad-path' }
            }
          }
        }
        if (!ok) continue
        // A path's methods are those of its most literal pattern (so /vcon/egress does not offer DELETE).
        if (c.literals > bestLiterals) {
          bestLiterals = c.literals
          allow.clear()
          best = undefined
        }
        if (c.literals < bestLiterals) continue
        allow.add(c.method)
        const wanted = method === 'HEAD' ? 'GET' : method
        if (c.method === wanted && best === undefined) best = { c, params }
      }
      if (best !== undefined) return { kind: 'found', route: best.c.route, params: best.params }
      if (allow.size === 0) return { kind: 'not-found' }
      if (allow.has('GET')) allow.add('HEAD')
      return { kind: 'method-not-allowed', allow: [...allow].sort() }
    },
  }
}
