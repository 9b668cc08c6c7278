import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createProgress, PROGRESS_MIN_ITEMS, renderBar } from './progress.js'

function target(isTTY: boolean) {
  const writes: string[] = []
  return { writes, isTTY, columns: 80, write: (text: string) => void writes.push(text) }
}

describe('renderBar', () => {
  test('fills in proportion to the work done', () => {
    assert.equal(renderBar(0, 100, 80), `[${'-'.repeat(40)}]   0/100 files`)
    assert.equal(renderBar(50, 100, 80), `[${'#'.repeat(20)}${'-'.repeat(20)}]  50/100 files`)
    assert.equal(renderBar(100, 100, 80), `[${'#'.repeat(40)}] 100/100 files`)
  })

  test('fits a narrow terminal', () => {
    const bar = renderBar(3, 30, 30)
    assert.ok(bar.length <= 30, bar)
    assert.match(bar, / 3\/30 files$/)
  })
})

describe('createProgress', () => {
  test('draws on a terminal when there are many items, then erases itself', () => {
    const t = target(true)
    let clock = 0
    const progress = createProgress(t, PROGRESS_MIN_ITEMS + 1, () => clock)
    for (let i = 0; i < PROGRESS_MIN_ITEMS + 1; i++) {
      clock += 100
      progress.tick()
    }
    progress.done()
    assert.ok(t.writes.length >= 2)
    assert.ok(
      t.writes.some((w) => w.includes(`${PROGRESS_MIN_ITEMS + 1}/${PROGRESS_MIN_ITEMS + 1} files`)),
    )
    assert.equal(t.writes.at(-1), '\r\u001b[K')
  })

  test('throttles redraws', () => {
    const t = target(true)
    const progress = createProgress(t, 1000, () => 0)
    for (let i = 0; i < 999; i++) progress.tick()
    // The first tick draws; the clock never moves, so the others do not.
    assert.equal(t.writes.length, 1)
    progress.tick()
    assert.equal(t.writes.length, 2, 'the last tick always draws')
  })

  test('stays silent when stderr is not a terminal', () => {
    const t = target(false)
    const progress = createProgress(t, 500)
    for (let i = 0; i < 500; i++) progress.tick()
    progress.clear()
    progress.resume()
    progress.done()
    assert.deepEqual(t.writes, [])
  })

  test(`stays silent for ${PROGRESS_MIN_ITEMS} items or fewer`, () => {
    const t = target(true)
    const progress = createProgress(t, PROGRESS_MIN_ITEMS)
    for (let i = 0; i < PROGRESS_MIN_ITEMS; i++) progress.tick()
    progress.done()
    assert.deepEqual(t.writes, [])
  })
})
