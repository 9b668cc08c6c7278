import assert from 'node:assert/strict'
import { test } from 'node:test'
import { escapeHtml, renderDocsPage } from './docs-page.js'
import { openApiDocument } from './openapi.js'
import type { JsonObject } from './openapi-components.js'
import { ALL_ROUTES } from './routes.js'

type Operation = { 'x-scope': string; responses: Record<string, unknown>; security: unknown[] }

function operations(): Map<string, Operation> {
  const doc = openApiDocument() as { paths: Record<string, Record<string, Operation>> }
  const ops = new Map<string, Operation>()
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) ops.set(`${method.toUpperCase()} ${path}`, op)
  }
  return ops
}

test('every route is documented, with its scope, and nothing else is', () => {
  const ops = operations()
  const routes = new Set(ALL_ROUTES.map((r) => `${r.method} ${r.path}`))
  assert.deepEqual([...ops.keys()].sort(), [...routes].sort())
  for (const route of ALL_ROUTES) {
    const op = ops.get(`${route.method} ${route.path}`)
    assert.equal(op?.['x-scope'], route.access, `${route.method} ${route.path}`)
    if (route.access === 'public') assert.deepEqual(op?.security, [])
    else {
      for (const status of ['401', '403', '429']) {
        assert.ok(op?.responses[status], `${route.method} ${route.path} documents ${status}`)
      }
    }
    if (route.admission === true) {
      assert.ok(op?.responses['503'], `${route.method} ${route.path} documents 503`)
    }
  }
})

test('every $ref points at a component that exists', () => {
  const doc = openApiDocument()
  const text = JSON.stringify(doc)
  const refs = [...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((m) => m[1] as string)
  assert.ok(refs.length > 20)
  for (const ref of refs) {
    let node: unknown = doc
    for (const part of ref.split('/')) node = (node as Record<string, unknown> | undefined)?.[part]
    assert.ok(node !== undefined, `#/${ref}`)
  }
})

test('the docs page lists every operation, escapes text and loads nothing from elsewhere', () => {
  const doc = openApiDocument()
  const html = renderDocsPage(doc)
  for (const key of operations().keys()) {
    const [method, path] = key.split(' ')
    assert.ok(html.includes(`${method}</span> <code>${escapeHtml(path ?? '')}</code>`), key)
  }
  assert.doesNotMatch(html, /<script|<link|src=/i)
  const hostile: JsonObject = { ...doc, info: { title: '<script>alert(1)</script>', version: '1' } }
  assert.ok(renderDocsPage(hostile).includes('&lt;script&gt;alert(1)&lt;/script&gt;'))
  assert.ok(!renderDocsPage(hostile).includes('<script>alert'))
})
