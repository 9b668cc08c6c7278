/**
 * @module Ingress lists → pipeline jobs. A vCon posted "into" a list starts at step 0 of every chain that list
 * feeds (several chains may share a list: fan-out). A list that feeds no chain is refused up front (400) rather
 * than accepting work nothing will ever do.
 */
import { ServerError } from '../../errors/server-error.js'
import type { ChainSet } from '../../pipeline/chain-set.js'
import type { JobInput } from '../../ports/queue.js'

/** The jobs for one vCon, given the lists it was posted into. */
export type JobsFor = (vconUuid: string) => JobInput[]

/** Checks every list and returns a function making the jobs of one vCon. */
export function resolveIngress(chains: ChainSet, lists: readonly string[]): JobsFor {
  const targets: { chain: string; list: string }[] = []
  for (const list of lists) {
    const fed = chains.forIngress(list)
    if (fed.length === 0) {
      const known = [...new Set(chains.all().flatMap((c) => c.config.ingress))]
      throw new ServerError(
        'BAD_REQUEST',
        `The ingress list "${list}" feeds no chain; ${known.length > 0 ? `configured ingress lists: ${known.join(', ')}` : 'no chain has an ingress list'}. Add it to a chain's ingress in the configuration.`,
      )
    }
    for (const chain of fed) targets.push({ chain: chain.config.name, list })
  }
  return (vconUuid) => targets.map(({ chain, list }) => ({ vconUuid, chain, step: 0, list }))
}
