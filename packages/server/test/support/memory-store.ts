/**
 * @module An in-memory Store for unit tests of code that uses the Store port (the pipeline runner). Not an
 * adapter: list and search are minimal, and it can be told to fail the next writes or reads.
 */
import type {
  InsertOutcome,
  ListPage,
  NewVcon,
  SearchHit,
  Store,
  StoredVcon,
} from '../../src/ports/store.js'

export interface MemoryStore extends Store {
  /** Every put, in order (uuid and json). */
  readonly puts: { readonly uuid: string; readonly json: string }[]
  /** Makes the next `n` puts (or gets) throw. */
  failNextPuts(n: number): void
  failNextGets(n: number): void
  /** The stored JSON of a uuid, parsed. */
  json(uuid: string): unknown
}

export function createMemoryStore(now: () => number = () => Date.now()): MemoryStore {
  const rows = new Map<string, StoredVcon>()
  const puts: { uuid: string; json: string }[] = []
  let putFailures = 0
  let getFailures = 0
  const iso = (): string => new Date(now()).toISOString()
  const write = (record: NewVcon): 'created' | 'replaced' => {
    const old = rows.get(record.uuid)
    rows.set(record.uuid, {
      uuid: record.uuid,
      json: record.json,
      createdAt: old?.createdAt ?? record.index.createdAt,
      storedAt: iso(),
      version: (old?.version ?? 0) + 1,
    })
    return old === undefined ? 'created' : 'replaced'
  }
  return {
    kind: 'sqlite',
    puts,
    failNextPuts: (n) => {
      putFailures = n
    },
    failNextGets: (n) => {
      getFailures = n
    },
    json: (uuid) => {
      const row = rows.get(uuid)
      return row === undefined ? undefined : JSON.parse(row.json)
    },
    async migrate() {},
    async insertMany(records) {
      const out: InsertOutcome[] = []
      for (const r of records) {
        if (rows.has(r.uuid)) out.push({ status: 'exists', uuid: r.uuid })
        else {
          write(r)
          out.push({ status: 'created', uuid: r.uuid })
        }
      }
      return out
    },
    async put(record, options) {
      if (putFailures > 0) {
        putFailures--
        throw new Error('memory store: put failed (injected)')
      }
      const current = rows.get(record.uuid)
      const expected = options?.expectedVersion
      if ((options?.onlyIfExists === true || expected !== undefined) && current === undefined)
        return 'missing'
      if (expected !== undefined && current?.version !== expected) return 'conflict'
      puts.push({ uuid: record.uuid, json: record.json })
      return write(record)
    },
    async get(uuid) {
      if (getFailures > 0) {
        getFailures--
        throw new Error('memory store: get failed (injected)')
      }
      return rows.get(uuid)
    },
    async getMany(uuids) {
      return uuids.map((u) => rows.get(u))
    },
    async delete(uuid) {
      return rows.delete(uuid)
    },
    async list(): Promise<ListPage> {
      return {
        items: [...rows.values()].map((r) => ({
          uuid: r.uuid,
          createdAt: r.createdAt,
          subject: undefined,
        })),
      }
    },
    async search(): Promise<SearchHit[]> {
      return []
    },
    async ping() {},
    async close() {},
  }
}
