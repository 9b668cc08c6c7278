import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { describeIoError, expandInputs, hasVconSuffix, readInputBytes } from './read-input.js'

describe('expandInputs', () => {
  let root = ''
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'vcon-read-input-'))
    await mkdir(join(root, 'b/deep'), { recursive: true })
    await mkdir(join(root, '.git'))
    await mkdir(join(root, 'node_modules'))
    for (const name of ['a.vcon', 'b/deep/c.vcon.json', 'b/d.json', 'b/e.vcon.gz', 'b/notes.txt']) {
      await writeFile(join(root, name), '{}')
    }
    await writeFile(join(root, '.git/x.json'), '{}')
    await writeFile(join(root, 'node_modules/y.json'), '{}')
    // A link back up the tree must not make the walk loop.
    await symlink(root, join(root, 'b/loop'))
  })
  after(() => rm(root, { recursive: true, force: true }))

  test('walks folders recursively, in sorted order, keeping only vCon file names', async () => {
    const inputs = await expandInputs([root])
    assert.deepEqual(
      inputs.map((i) => i.display),
      ['a.vcon', 'b/d.json', 'b/deep/c.vcon.json', 'b/e.vcon.gz'].map((n) => join(root, n)),
    )
    assert.ok(inputs.every((i) => i.kind === 'file'))
  })

  test('keeps command-line order, reads a named file whatever its suffix, and maps - to stdin', async () => {
    const notes = join(root, 'b/notes.txt')
    const inputs = await expandInputs([notes, '-', join(root, 'a.vcon')])
    assert.deepEqual(
      inputs.map((i) => i.kind),
      ['file', 'stdin', 'file'],
    )
    assert.equal(inputs[0]?.display, notes)
  })

  test('reports a missing path as unreadable instead of throwing', async () => {
    const missing = join(root, 'missing.vcon')
    const [input] = await expandInputs([missing])
    assert.deepEqual(input, {
      kind: 'unreadable',
      display: missing,
      reason: 'no such file or directory',
    })
  })

  test('readInputBytes wraps an I/O error with a one-line reason', async () => {
    await assert.rejects(
      readInputBytes(
        { kind: 'file', path: join(root, 'b'), display: 'b' },
        async () => new Uint8Array(),
      ),
      { name: 'InputReadError', message: 'cannot read b: is a directory' },
    )
  })
})

test('hasVconSuffix', () => {
  assert.equal(hasVconSuffix('call.vcon'), true)
  assert.equal(hasVconSuffix('CALL.VCON.JSON'), true)
  assert.equal(hasVconSuffix('call.vcon.gz'), true)
  assert.equal(hasVconSuffix('call.json.gz'), false)
  assert.equal(hasVconSuffix('call.txt'), false)
})

test('describeIoError names common errors without their stack', () => {
  const error = Object.assign(new Error("EACCES: permission denied, open 'x'"), { code: 'EACCES' })
  assert.equal(describeIoError(error), 'permission denied')
  const odd = Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' })
  assert.equal(describeIoError(odd), 'EIO: i/o error, read')
  const bare = Object.assign(new Error('disk on fire'), { code: 'EFIRE' })
  assert.equal(describeIoError(bare), 'EFIRE: disk on fire')
})
