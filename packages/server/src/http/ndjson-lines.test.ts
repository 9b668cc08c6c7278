import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { ServerError } from '../errors/server-error.js'
import { type NdjsonLine, ndjsonLines } from './ndjson-lines.js'

async function collect(
  chunks: readonly Buffer[],
  maxLine = 1000,
  maxTotal = 1e9,
): Promise<NdjsonLine[]> {
  const out: NdjsonLine[] = []
  async function* source() {
    yield* chunks
  }
  for await (const line of ndjsonLines(source(), { maxLine, maxTotal })) out.push(line)
  return out
}

function split(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
  const parts: Buffer[] = []
  let at = 0
  for (const p of points) {
    parts.push(bytes.subarray(at, p))
    at = p
  }
  parts.push(bytes.subarray(at))
  return parts
}

test('lines are the same however the stream is chunked (property)', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\r\n]/g, '')),
        {
          maxLength: 10,
        },
      ),
      fc.array(fc.nat(), { maxLength: 8 }),
      async (lines, cuts) => {
        const bytes = Buffer.from(lines.join('\n'), 'utf8')
        const got = await collect(split(bytes, cuts))
        const want = lines
          .map((text, i) => ({ line: i + 1, text }))
          .filter((l) => l.text.trim() !== '')
        assert.deepEqual(got, want)
      },
    ),
  )
})

test('CRLF endings are accepted; blank lines are skipped but counted', async () => {
  const got = await collect([Buffer.from('{"a":1}\r\n\r\n{"b":2}\n')])
  assert.deepEqual(got, [
    { line: 1, text: '{"a":1}' },
    { line: 3, text: '{"b":2}' },
  ])
})

test('a line over maxLine is one 413 result, and the next line is still read', async () => {
  const got = await collect([Buffer.from(`${'x'.repeat(30)}\n`), Buffer.from('ok\n')], 10)
  assert.equal(got.length, 2)
  const first = got[0]
  assert.ok(first !== undefined && 'error' in first && first.error.code === 'PAYLOAD_TOO_LARGE')
  assert.deepEqual(got[1], { line: 2, text: 'ok' })
})

test('invalid UTF-8 in a line is that line’s error; more than maxTotal bytes stops the stream', async () => {
  const got = await collect([Buffer.from([0xff, 0x0a, 0x61])])
  assert.ok('error' in (got[0] as NdjsonLine))
  assert.deepEqual(got[1], { line: 2, text: 'a' })
  await assert.rejects(
    collect([Buffer.from('aaaa\n'), Buffer.from('bbbb\n')], 100, 8),
    (e) => e instanceof ServerError && e.code === 'PAYLOAD_TOO_LARGE',
  )
})
