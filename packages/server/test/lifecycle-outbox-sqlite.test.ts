import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { LifecycleOutbox } from '../src/ledger/lifecycle-outbox.js'
import { createSqliteLifecycleOutbox } from '../src/ledger/sqlite-lifecycle-outbox.js'
import { runLifecycleOutboxContract } from './lifecycle-outbox-contract.js'

runLifecycleOutboxContract('sqlite', async () => {
  // A file (not :memory:), so that each open() is a connection of its own, as two processes would have.
  const dir = await mkdtemp(join(tmpdir(), 'vconkit-outbox-'))
  const opened: LifecycleOutbox[] = []
  return {
    async open() {
      const outbox = createSqliteLifecycleOutbox({ file: join(dir, 'vconkit.db') })
      opened.push(outbox)
      await outbox.migrate()
      return outbox
    },
    async cleanup() {
      for (const outbox of opened) await outbox.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
})
