import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import type { Vcon } from '@vconkit/vcon'
import { callVcon, chatVcon, stepContext } from '../../../../test/support/pipeline-vcons.js'
import { withTags } from '../tag/index.js'
import { routeStepFactory } from './index.js'

const sales = withTags(callVcon(), { category: 'sales' }, 0) as Vcon

describe('route step', () => {
  const routes = [
    { to: 'sales-review', when: { tag: 'category:sales' } },
    { to: ['calls', 'archive'], when: { pointer: '/dialog/*/type', equals: 'recording' } },
    { to: 'archive' },
  ]

  test('forwards to every matching route, each list once, and continues', async () => {
    const step = routeStepFactory.create('r', { routes })
    assert.deepEqual(step.routesTo, ['sales-review', 'calls', 'archive'])
    const result = await step.run(sales, stepContext())
    assert.deepEqual(result, {
      kind: 'continue',
      vcon: sales,
      changed: false,
      forward: ['sales-review', 'calls', 'archive'],
    })
    const chat = await step.run(chatVcon(), stepContext())
    assert.ok(chat.kind === 'continue')
    assert.deepEqual(chat.forward, ['archive'])
  })

  test('match: first takes the first matching route only', async () => {
    const step = routeStepFactory.create('r', { routes, match: 'first' })
    const result = await step.run(callVcon(), stepContext())
    assert.ok(result.kind === 'continue')
    assert.deepEqual(result.forward, ['calls', 'archive'])
  })

  test('onMatch: stop ends the chain when a route matched, and only then', async () => {
    const step = routeStepFactory.create('r', { routes: [routes[0]], onMatch: 'stop' })
    assert.deepEqual(await step.run(sales, stepContext()), {
      kind: 'stop',
      reason: 'routed to sales-review',
      forward: ['sales-review'],
    })
    const other = await step.run(chatVcon(), stepContext())
    assert.deepEqual(other, {
      kind: 'continue',
      vcon: other.kind === 'continue' ? other.vcon : undefined,
      changed: false,
    })
  })

  test('options are checked, naming the key', () => {
    assert.throws(() => routeStepFactory.create('r', {}), /options\.routes is required/)
    assert.throws(
      () => routeStepFactory.create('r', { routes: [{ when: { tag: 'a' } }] }),
      /options\.routes\[0\]\.to is required/,
    )
    assert.throws(
      () => routeStepFactory.create('r', { routes: [{ to: 'a', if: {} }] }),
      /options\.routes\[0\]\.if is not part of a route/,
    )
    assert.throws(
      () => routeStepFactory.create('r', { routes: [{ to: 'a', when: { pointer: 'x' } }] }),
      /options\.routes\[0\]\.when\.pointer must be a JSON pointer/,
    )
    assert.throws(
      () => routeStepFactory.create('r', { routes, onMatch: 'halt' }),
      /options\.onMatch must be one of continue, stop/,
    )
  })
})
