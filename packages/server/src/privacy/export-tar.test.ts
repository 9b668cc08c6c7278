import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { tarEnd, tarHeader, tarMember } from './export-tar.js'

test('the ustar header carries name, size, type, magic and a valid checksum', () => {
  const header = tarHeader({
    name: 'a/b.json',
    data: Buffer.from('hello'),
    mtime: new Date(1_700_000_000_000),
  })
  assert.equal(header.length, 512)
  assert.equal(header.toString('ascii', 0, 8), 'a/b.json')
  assert.equal(Number.parseInt(header.toString('ascii', 124, 135), 8), 5)
  assert.equal(Number.parseInt(header.toString('ascii', 136, 147), 8), 1_700_000_000)
  assert.equal(header.toString('ascii', 156, 157), '0')
  assert.equal(header.toString('ascii', 257, 263), 'ustar\0')
  const stored = Number.parseInt(header.toString('ascii', 148, 154), 8)
  const copy = Buffer.from(header)
  copy.fill(0x20, 148, 156)
  assert.equal(
    stored,
    copy.reduce((sum, byte) => sum + byte, 0),
  )
  assert.throws(() => tarHeader({ name: 'x'.repeat(101) }), /1 to 100 bytes/)
  assert.throws(() => tarHeader({ name: '' }), /1 to 100 bytes/)
})

test('the system tar reads the archive back: directories, padding, empty and unicode files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vconkit-tar-'))
  try {
    const files: [string, Buffer][] = [
      ['d/exact.bin', Buffer.alloc(512, 7)],
      ['d/odd.txt', Buffer.from('x'.repeat(513))],
      ['d/empty', Buffer.alloc(0)],
      ['d/naïve.json', Buffer.from('{"ok":true}\n')],
    ]
    const chunks = [
      ...tarMember({ name: 'd/' }),
      ...files.flatMap(([name, data]) => tarMember({ name, data, mtime: new Date() })),
      tarEnd(),
    ]
    const file = join(dir, 'a.tar')
    writeFileSync(file, Buffer.concat(chunks))
    const listed = execFileSync('tar', ['-tf', file], { encoding: 'utf8' }).trim().split('\n')
    assert.deepEqual(listed, ['d/', ...files.map(([name]) => name)])
    const out = join(dir, 'out')
    execFileSync('mkdir', [out])
    execFileSync('tar', ['-xf', file, '-C', out])
    for (const [name, data] of files) assert.deepEqual(readFileSync(join(out, name)), data, name)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
