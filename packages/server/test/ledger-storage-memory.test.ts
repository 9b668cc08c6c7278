import { MemoryLedgerStorage } from '@vconkit/ledger'
import { runLedgerStorageContract } from './ledger-storage-contract.js'

// The reference adapter: the same contract as the databases, so that the suite itself is checked against it.
runLedgerStorageContract('memory', async () => {
  const storage = new MemoryLedgerStorage()
  return { open: async () => storage, cleanup: async () => {} }
})
