// The ports this mock gives its databases (--db-ports, docs/redis.md#many-mocks-on-one-machine):
// a range of its own, `auto` reserving a free block so mocks started side by side never collide,
// and the databases of the start state moved into it.
import { createServer, type Server } from 'node:net'
import { ConfigError } from '../base/errors.js'
import type { Log } from '../base/log.js'
import { DEFAULT_DB_PORTS, moveIntoRange, type PortRange } from '../store/databases/index.js'
import type { Store } from '../store/index.js'
import { listeningPorts } from './ports.js'

export type { PortRange } from '../store/databases/index.js'

// `auto` blocks: below Linux's ephemeral ports (32768-60999), above the RS range (10000-19999).
const AUTO_FIRST = 20000
const AUTO_LAST = 32767
export const AUTO_BLOCK = 100

export interface DbPorts { readonly range: PortRange, release(): Promise<void> }

async function listenOn (port: number): Promise<Server | undefined> {
  const server = createServer()
  return await new Promise(resolve => {
    server.once('error', () => resolve(undefined))
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => { server.unref(); resolve(server) })
  })
}

/**
 * `auto`: a block of AUTO_BLOCK ports nobody listens on, claimed by listening on its first port
 * for as long as the mock runs (a second mock trying the same block fails to listen there and
 * takes another); the databases get the other 99. A range is taken as given.
 */
export async function reserveDbPorts (setting: PortRange | 'auto' | undefined, random = Math.random): Promise<DbPorts> {
  if (setting !== 'auto') return { range: setting ?? DEFAULT_DB_PORTS, release: async () => {} }
  const blocks = Math.floor((AUTO_LAST - AUTO_FIRST + 1) / AUTO_BLOCK)
  const start = Math.floor(random() * blocks)
  for (let i = 0; i < blocks; i++) {
    const first = AUTO_FIRST + ((start + i) % blocks) * AUTO_BLOCK
    const held = listeningPorts() ?? new Set<number>()
    const free = !Array.from({ length: AUTO_BLOCK }, (_, k) => first + k).some(p => held.has(p))
    const claim = free ? await listenOn(first) : undefined
    if (claim !== undefined) {
      return {
        range: { first: first + 1, last: first + AUTO_BLOCK - 1 },
        release: async () => { await new Promise(resolve => claim.close(resolve)) }
      }
    }
  }
  throw new ConfigError(`--db-ports auto found no free block of ${AUTO_BLOCK} ports in ${AUTO_FIRST}-${AUTO_LAST}: give a range (--db-ports FIRST-LAST).`)
}

/**
 * Gives `store` the range and moves its databases into it, now and after every reset or
 * scenario load: a port outside the range, or one `busy` says another process holds, moves to
 * the lowest free port of the range (logged once per database and move).
 */
export function placeDatabases (store: Store, range: PortRange, log: Log, busy?: (port: number) => boolean): void {
  store.bdbs.ports = range
  const place = (): number => {
    const moves = moveIntoRange(store.state, range, busy)
    for (const m of moves) {
      if (m.to === 0) log.warn({ bdb_uid: m.uid, port: m.from }, `database ${m.uid}: port ${m.from} is ${m.why} and no port of ${range.first}-${range.last} is free; it stays on ${m.from}`)
      else log.info({ bdb_uid: m.uid, from: m.from, to: m.to }, `database ${m.uid}: port ${m.from} is ${m.why}; it listens on ${m.to} instead`)
    }
    return moves.filter(m => m.to !== 0).length
  }
  if (place() > 0) store.changed()
  store.onReset(() => { place() })
}
