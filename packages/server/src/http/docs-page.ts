/**
 * @module Renders the OpenAPI document as one self-contained HTML reference page (/docs): no script, no CDN, no
 * external resource; inline CSS only. Every text of the document is HTML-escaped.
 */
import type { Json, JsonObject } from './openapi-components.js'

const METHODS = ['get', 'put', 'post', 'delete'] as const

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;')
}

function obj(value: Json | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {}
}

function text(value: Json | undefined): string {
  return typeof value === 'string' ? value : ''
}

function anchor(kind: string, name: string): string {
  return `${kind}-${name.replace(/[^a-zA-Z0-9_-]/g, '-')}`
}

/** A one-line description of a schema: `$ref`s become links to the schema section. */
function schemaSummary(schema: Json | undefined, depth = 0): string {
  const s = obj(schema)
  const reference = text(s.$ref)
  if (reference !== '') {
    const name = reference.split('/').pop() ?? reference
    return `<a href="#${anchor('schema', name)}">${escapeHtml(name)}</a>`
  }
  if (depth > 4) return 'object'
  for (const key of ['oneOf', 'anyOf'] as const) {
    if (Array.isArray(s[key])) {
      return (s[key] as Json[]).map((x) => schemaSummary(x, depth + 1)).join(' | ')
    }
  }
  if (s.const !== undefined) return `<code>${escapeHtml(JSON.stringify(s.const))}</code>`
  if (Array.isArray(s.enum)) {
    return (s.enum as Json[])
      .map((v) => `<code>${escapeHtml(JSON.stringify(v))}</code>`)
      .join(' | ')
  }
  const type = Array.isArray(s.type) ? (s.type as Json[]).join(' | ') : text(s.type)
  if (type === 'array') return `array of ${schemaSummary(s.items, depth + 1)}`
  return escapeHtml(type === '' ? 'any' : type)
}

/** A table of an object schema's properties (one level), or nothing for other schemas. */
function propertiesTable(schema: JsonObject): string {
  const props = obj(schema.properties)
  const names = Object.keys(props)
  if (names.length === 0) return ''
  const required = new Set(Array.isArray(schema.required) ? (schema.required as Json[]) : [])
  const rows = names
    .map((name) => {
      const p = obj(props[name])
      return `<tr><td><code>${escapeHtml(name)}</code>${required.has(name) ? ' <span class="req">required</span>' : ''}</td><td>${schemaSummary(p)}</td><td>${escapeHtml(text(p.description))}</td></tr>`
    })
    .join('')
  return `<table><thead><tr><th>field</th><th>type</th><th>description</th></tr></thead><tbody>${rows}</tbody></table>`
}

function resolveParam(doc: JsonObject, param: Json): JsonObject {
  const p = obj(param)
  const reference = text(p.$ref)
  if (reference === '') return p
  const name = reference.split('/').pop() ?? ''
  return obj(obj(obj(doc.components).parameters)[name])
}

function renderContent(content: Json | undefined): string {
  const entries = Object.entries(obj(content))
  if (entries.length === 0) return ''
  return `<ul>${entries
    .map(([type, media]) => {
      const m = obj(media)
      const schema = m['x-line-schema'] ?? m.schema
      return `<li><code>${escapeHtml(type)}</code>: ${schemaSummary(schema)}</li>`
    })
    .join('')}</ul>`
}

function renderOperation(doc: JsonObject, path: string, method: string, op: JsonObject): string {
  const id = text(op.operationId)
  const params = Array.isArray(op.parameters) ? (op.parameters as Json[]) : []
  const paramRows = params
    .map((raw) => {
      const p = resolveParam(doc, raw)
      return `<tr><td><code>${escapeHtml(text(p.name))}</code>${p.required === true ? ' <span class="req">required</span>' : ''}</td><td>${escapeHtml(text(p.in))}</td><td>${schemaSummary(p.schema)}</td><td>${escapeHtml(text(p.description))}</td></tr>`
    })
    .join('')
  const body = obj(op.requestBody)
  const responses = Object.entries(obj(op.responses))
    .map(([status, raw]) => {
      const r = obj(raw)
      const headers = Object.entries(obj(r.headers))
        .map(
          ([name, h]) =>
            `<li>header <code>${escapeHtml(name)}</code>: ${escapeHtml(text(obj(h).description))}</li>`,
        )
        .join('')
      return `<tr><td class="status s${escapeHtml(status.slice(0, 1))}">${escapeHtml(status)}</td><td>${escapeHtml(text(r.description))}${headers === '' ? '' : `<ul>${headers}</ul>`}${renderContent(r.content)}</td></tr>`
    })
    .join('')
  return `<section class="op" id="${anchor('op', id)}">
<h3><span class="method m-${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code></h3>
<p class="summary">${escapeHtml(text(op.summary))}</p>
<p>${escapeHtml(text(op.description))}</p>
${paramRows === '' ? '' : `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>description</th></tr></thead><tbody>${paramRows}</tbody></table>`}
${Object.keys(body).length === 0 ? '' : `<h4>Request body</h4><p>${escapeHtml(text(body.description))}</p>${renderContent(body.content)}`}
<h4>Responses</h4><table><tbody>${responses}</tbody></table>
</section>`
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#fff}
main{max-width:980px;margin:0 auto;padding:1rem 1.5rem 4rem}nav{columns:2;font-size:14px}
nav a{text-decoration:none}code{font:13px ui-monospace,monospace;background:#f3f3f3;padding:0 .25em;border-radius:3px}
.op{border-top:1px solid #ddd;padding-top:.5rem;margin-top:1.5rem}.method{display:inline-block;min-width:4.2em;
text-align:center;color:#fff;border-radius:4px;font-size:13px;padding:.1em .4em}.m-get{background:#2f6fbd}
.m-post{background:#2e8b57}.m-put{background:#b8860b}.m-delete{background:#b22222}.summary{font-weight:600}
table{border-collapse:collapse;width:100%;margin:.25rem 0 1rem;font-size:14px}td,th{border:1px solid #e2e2e2;
padding:.25rem .5rem;vertical-align:top;text-align:left}th{background:#fafafa}.req{color:#b22222;font-size:12px}
.status{font-weight:700;width:4em}.s2{color:#2e8b57}.s3{color:#2f6fbd}.s4{color:#b8860b}.s5{color:#b22222}
ul{margin:.25rem 0}@media (prefers-color-scheme:dark){body{background:#151515;color:#e6e6e6}
code{background:#2a2a2a}th{background:#222}td,th{border-color:#333}a{color:#8ab4f8}}`

/** The HTML page for an OpenAPI document. */
export function renderDocsPage(doc: JsonObject): string {
  const info = obj(doc.info)
  const paths = obj(doc.paths)
  const tags = (Array.isArray(doc.tags) ? (doc.tags as Json[]) : []).map(obj)
  const ops: { tag: string; path: string; method: string; op: JsonObject }[] = []
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = obj(obj(item)[method])
      if (Object.keys(op).length === 0) continue
      const opTags = Array.isArray(op.tags) ? (op.tags as Json[]) : []
      ops.push({ tag: text(opTags[0]), path, method, op })
    }
  }
  const sections = tags
    .map((t) => {
      const name = text(t.name)
      const mine = ops.filter((o) => o.tag === name)
      return `<h2 id="${anchor('tag', name)}">${escapeHtml(name)}</h2><p>${escapeHtml(text(t.description))}</p>${mine
        .map((o) => renderOperation(doc, o.path, o.method, o.op))
        .join('\n')}`
    })
    .join('\n')
  const toc = ops
    .map(
      (o) =>
        `<li><a href="#${anchor('op', text(o.op.operationId))}"><code>${o.method.toUpperCase()} ${escapeHtml(o.path)}</code></a></li>`,
    )
    .join('')
  const schemas = Object.entries(obj(obj(doc.components).schemas))
    .map(([name, raw]) => {
      const s = obj(raw)
      return `<section id="${anchor('schema', name)}"><h3>${escapeHtml(name)}</h3><p>${escapeHtml(text(s.description))}</p><p>${schemaSummary({ ...s, $ref: null } as JsonObject)}</p>${propertiesTable(s)}</section>`
    })
    .join('\n')
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(text(info.title))} ${escapeHtml(text(info.version))}</title><style>${STYLE}</style></head>
<body><main>
<h1>${escapeHtml(text(info.title))} <small>${escapeHtml(text(info.version))}</small></h1>
<p>${escapeHtml(text(info.description))}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI ${escapeHtml(text(doc.openapi))}).</p>
<nav><ul>${toc}</ul></nav>
${sections}
<h2 id="schemas">Schemas</h2>
${schemas}
</main></body></html>
`
}
