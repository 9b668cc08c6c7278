import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createRouter, type RoutePattern } from './router.js'

const routes: (RoutePattern & { name: string })[] = [
  { method: 'GET', path: '/vcon/{uuid}', name: 'get-vcon' },
  { method: 'DELETE', path: '/vcon/{uuid}', name: 'delete-vcon' },
  { method: 'GET', path: '/vcon/egress', name: 'egress' },
  { method: 'POST', path: '/v1/vcons', name: 'create' },
  { method: 'POST', path: '/v1/vcons:bulk', name: 'bulk' },
  { method: 'POST', path: '/v1/vcons/{uuid}/analysis', name: 'append' },
]
const router = createRouter(routes)

function found(method: string, path: string): { name: string; params: Record<string, string> } {
  const m = router.match(method, path)
  assert.equal(m.kind, 'found', `${method} ${path}`)
  if (m.kind !== 'found') throw new Error('unreachable')
  return { name: m.route.name, params: { ...m.params } }
}

test('literal segments win over parameters; parameters are percent-decoded', () => {
  assert.equal(found('GET', '/vcon/egress').name, 'egress')
  assert.deepEqual(found('GET', '/vcon/a%2Fb'), { name: 'get-vcon', params: { uuid: 'a/b' } })
  assert.equal(found('POST', '/v1/vcons:bulk').name, 'bulk')
  assert.deepEqual(found('POST', '/v1/vcons/123/analysis').params, { uuid: '123' })
})

test('HEAD uses the GET route; a trailing slash is ignored', () => {
  assert.equal(found('HEAD', '/vcon/x').name, 'get-vcon')
  assert.equal(found('POST', '/v1/vcons/').name, 'create')
})

test('unknown paths are not-found; known paths with another method list the allowed ones', () => {
  assert.deepEqual(router.match('GET', '/nothing'), { kind: 'not-found' })
  assert.deepEqual(router.match('GET', '/vcon'), { kind: 'not-found' })
  assert.deepEqual(router.match('GET', '/v1/vcons/x/analysis/extra'), { kind: 'not-found' })
  assert.deepEqual(router.match('PUT', '/vcon/x'), {
    kind: 'method-not-allowed',
    allow: ['DELETE', 'GET', 'HEAD'],
  })
  // The literal route decides the methods of its path.
  assert.deepEqual(router.match('DELETE', '/vcon/egress'), {
    kind: 'method-not-allowed',
    allow: ['GET', 'HEAD'],
  })
})

test('an empty segment does not match a parameter; a bad escape is reported', () => {
  assert.deepEqual(router.match('GET', '/vcon//'), { kind: 'not-found' })
  assert.deepEqual(router.match('GET', '/vcon/%E0%A4%A'), { kind: 'bad-path' })
})
