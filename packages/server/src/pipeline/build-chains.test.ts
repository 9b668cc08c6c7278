import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { ChainConfig, StepConfig } from '../config/server-config.js'
import { ServerError } from '../errors/server-error.js'
import { buildChains } from './build-chains.js'
import { builtinStepRegistry, createStepRegistry } from './step-registry.js'

const registry = builtinStepRegistry({ env: { HOOK_SECRET: 's' } })

function step(use: string, options: Record<string, unknown> = {}, name = use): StepConfig {
  return { use, name, options, timeoutMs: 1000 }
}

function chain(
  name: string,
  steps: StepConfig[],
  ingress = [`${name}-in`],
  egress: string[] = [],
): ChainConfig {
  return { name, ingress, egress, steps, concurrency: 1 }
}

function configError(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof ServerError)
    assert.equal(error.code, 'CONFIG_INVALID')
    if (typeof message === 'string') assert.equal(error.message, message)
    else assert.match(error.message, message)
    return true
  })
}

describe('buildChains', () => {
  test('builds steps in order and indexes chains by name and ingress list (fan-out)', () => {
    const set = buildChains(
      [
        chain('a', [step('validate'), step('tag', { tags: { x: 'y' } })], ['in', 'a-in']),
        chain('b', [step('filter', { when: { tag: 'x' } })], ['in']),
      ],
      registry,
    )
    assert.deepEqual(
      set.byName('a')?.steps.map((s) => [s.name, s.type]),
      [
        ['validate', 'validate'],
        ['tag', 'tag'],
      ],
    )
    assert.deepEqual(
      set.forIngress('in').map((c) => c.config.name),
      ['a', 'b'],
    )
    assert.deepEqual(
      set.forIngress('a-in').map((c) => c.config.name),
      ['a'],
    )
    assert.deepEqual(set.forIngress('nothing'), [])
    assert.equal(set.byName('zzz'), undefined)
    assert.equal(set.all().length, 2)
  })

  test('an unknown step type names chains[i].steps[j].use and lists the known types', () => {
    configError(
      () =>
        buildChains(
          [
            chain('a', [step('validate')]),
            chain('b', [step('tag', { tags: ['a'] }), step('transcode')]),
          ],
          registry,
        ),
      'chains[1].steps[1].use: unknown step type "transcode" in chain "b"; the known types are analyse, filter, redact, route, sample, sign, tag, transcribe, validate, webhook',
    )
  })

  test('a bad option is named with its full path', () => {
    configError(
      () =>
        buildChains(
          [
            chain('a', [
              step('validate'),
              step('webhook', { url: 'http://x/', secretEnv: 'HOOK_SECRET' }, 'notify'),
            ]),
          ],
          registry,
        ),
      /^chains\[0\]\.steps\[1\]\.options\.url must be an https URL/,
    )
    configError(
      () =>
        buildChains(
          [
            chain('a', [
              step('route', { routes: [{ to: 'x', when: { all: [{ tag: 'a' }, {}] } }] }),
            ]),
          ],
          registry,
        ),
      /^chains\[0\]\.steps\[0\]\.options\.routes\[0\]\.when\.all\[1\] must have one of/,
    )
  })

  test('duplicate chain and step names are refused', () => {
    configError(
      () => buildChains([chain('a', []), chain('a', [])], registry),
      /^chains\[1\]\.name: another chain is already named "a"/,
    )
    configError(
      () => buildChains([chain('a', [step('validate'), step('validate')])], registry),
      /^chains\[0\]\.steps\[1\]\.name: chain "a" already has a step named "validate"/,
    )
  })

  test('routes must go to lists some chain reads, and must not loop', () => {
    configError(
      () => buildChains([chain('a', [step('route', { routes: [{ to: 'nowhere' }] })])], registry),
      /^chains\[0\]\.steps\[0\]\.options: step "route" routes to the list "nowhere", which no chain reads/,
    )
    const routeTo = (list: string) => step('route', { routes: [{ to: list, when: { tag: 'x' } }] })
    configError(
      () => buildChains([chain('a', [routeTo('a-in')])], registry),
      /routes form a loop \(a -> a\)/,
    )
    configError(
      () =>
        buildChains(
          [
            chain('a', [routeTo('b-in')]),
            chain('b', [routeTo('c-in')]),
            chain('c', [routeTo('a-in')]),
          ],
          registry,
        ),
      /routes form a loop \(a -> b -> c -> a\)/,
    )
    assert.doesNotThrow(() =>
      buildChains(
        [chain('a', [routeTo('b-in')]), chain('b', [routeTo('c-in')]), chain('c', [])],
        registry,
      ),
    )
  })

  test('a factory that throws something else is reported as a configuration error too', () => {
    const broken = createStepRegistry([
      {
        type: 'broken',
        create() {
          throw new TypeError('boom')
        },
      },
    ])
    configError(
      () => buildChains([chain('a', [step('broken')])], broken),
      'chains[0].steps[0] (broken) could not be created: boom',
    )
  })
})
