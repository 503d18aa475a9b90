// Where a database lives: its port, endpoint and shard uids, and the node and license
// counters that follow from them. The mock is one node: every shard sits on the first node.
import { randomBytes } from 'node:crypto'
import type { Bdb, Endpoint } from '../../schemas/bdb.js'
import { portUnavailable } from '../../base/errors.js'
import type { State } from '../kernel/index.js'
import { spreadShards } from '../topology/index.js'

// RS gives databases ports from 10000-19999 unless the cluster reserves them.
export const DB_PORT_MIN = 10000
export const DB_PORT_MAX = 19999

/** The ports this mock gives databases (--db-ports): RS's range unless told otherwise. */
export interface PortRange { readonly first: number, readonly last: number }
export const DEFAULT_DB_PORTS: PortRange = Object.freeze({ first: DB_PORT_MIN, last: DB_PORT_MAX })

export const boundPort = (bdb: Bdb): number => bdb.endpoints[0]?.port ?? bdb.port

/** Ports the cluster keeps for itself: system_reserved_ports (integers) and reserved_ports ("12000" or "12000-12010"). */
function reservedPorts (state: State): Set<number> {
  const out = new Set<number>((state.cluster.system_reserved_ports as number[] | undefined) ?? [])
  for (const item of (state.cluster.reserved_ports as string[] | undefined) ?? []) {
    const [from, to = from] = item.split('-').map(Number)
    for (let p = from; p <= to && p - from < 100_000; p++) out.add(p)
  }
  return out
}

/** Throws port_unavailable unless `port` can serve database `ownUid`. */
export function checkPort (state: State, port: number, ownUid: number, range = DEFAULT_DB_PORTS): void {
  if (port < range.first || port > range.last) throw portUnavailable(port, `database ports are ${range.first}-${range.last}`)
  if (reservedPorts(state).has(port)) throw portUnavailable(port, 'reserved by the cluster')
  for (const b of state.bdbs.values()) {
    if (b.uid !== ownUid && boundPort(b) === port) throw portUnavailable(port, `used by database ${b.uid}`)
  }
}

/** The lowest free port of the range (`busy`: also taken outside the cluster). */
export function allocatePort (state: State, busy?: (port: number) => boolean, range = DEFAULT_DB_PORTS): number {
  const taken = reservedPorts(state)
  for (const b of state.bdbs.values()) taken.add(boundPort(b))
  for (let p = range.first; p <= range.last; p++) if (!taken.has(p) && busy?.(p) !== true) return p
  throw portUnavailable(0, `no free port left in the database range ${range.first}-${range.last}`)
}

/**
 * Moves each database whose port is outside `range`, another's, or `busy` (held by another
 * process) to the lowest free port of the range (docs/decisions.md #59): the fixtures' fixed
 * ports must not collide with a second mock. The moves made, in uid order (`to` 0: no free port
 * left, the database stays); the state is edited in place, without changed() (the caller announces it).
 */
export function moveIntoRange (state: State, range: PortRange, busy?: (port: number) => boolean): Array<{ uid: number, from: number, to: number, why: string }> {
  const moves: Array<{ uid: number, from: number, to: number, why: string }> = []
  const kept = new Set<number>()
  const reserved = reservedPorts(state)
  const order = [...state.bdbs.values()].sort((a, b) => a.uid - b.uid)
  const misplaced: Array<{ bdb: Bdb, why: string }> = []
  for (const bdb of order) {
    const port = boundPort(bdb)
    const why = port < range.first || port > range.last
      ? `outside the database ports ${range.first}-${range.last}`
      : kept.has(port) ? 'used by another database' : busy?.(port) === true ? 'held by another process' : undefined
    if (why === undefined) kept.add(port)
    else misplaced.push({ bdb, why })
  }
  for (const { bdb, why } of misplaced) {
    const from = boundPort(bdb)
    let to = range.first
    while (to <= range.last && (kept.has(to) || reserved.has(to) || busy?.(to) === true)) to++
    if (to > range.last) {
      moves.push({ uid: bdb.uid, from, to: 0, why }) // stays where it is: the caller says so
      continue
    }
    kept.add(to)
    if (bdb.port !== 0) bdb.port = to
    for (const ep of bdb.endpoints ?? []) {
      ep.port = to
      ep.dns_name = `redis-${to}.${String(state.cluster.name)}`
    }
    moves.push({ uid: bdb.uid, from, to, why })
  }
  return moves
}

export function endpointFor (state: State, bdb: Bdb, port: number, addr?: string): Endpoint {
  const node = firstNode(state)
  return {
    addr: [addr ?? String(node?.addr ?? '127.0.0.1')],
    addr_type: 'external',
    dns_name: `redis-${port}.${String(state.cluster.name)}`,
    oss_cluster_api_preferred_endpoint_type: String(bdb.oss_cluster_api_preferred_endpoint_type ?? 'ip'),
    oss_cluster_api_preferred_ip_type: String(bdb.oss_cluster_api_preferred_ip_type ?? 'internal'),
    port,
    proxy_policy: bdb.proxy_policy,
    uid: `${bdb.uid}:1`
  }
}

export const shardTotal = (shardsCount: number, replication: boolean): number => shardsCount * (replication ? 2 : 1)

/**
 * A shard_list for `shardsCount` masters (+ as many replicas): masters first, then replicas,
 * keeping the uids of `current` where they still fit and taking new globally unique ones.
 */
export function layoutShards (state: State, shardsCount: number, replication: boolean, current: number[] = [], currentCount = 0): number[] {
  let next = 1
  for (const b of state.bdbs.values()) for (const s of b.shard_list) next = Math.max(next, s + 1)
  const take = (old: number[]): number[] => Array.from({ length: shardsCount }, (_, i) => old[i] ?? next++)
  const masters = take(current.slice(0, currentCount))
  return replication ? [...masters, ...take(current.slice(currentCount))] : masters
}

export const firstNode = (state: State) => state.nodes.values().next().value

/**
 * Node shard_list/shard_count/ram_shard_count and the license's ram_shards_in_use follow the
 * databases: a shard stays on the node that lists it (migrations, rebalancing), a new one is
 * placed by store/topology/topology.ts (masters and their replicas on different nodes), a deleted one
 * leaves its node.
 */
export function syncShardCounters (state: State): void {
  spreadShards(state)
  if (state.license !== null) state.license.ram_shards_in_use = shardsInUse(state)
}

export const shardsInUse = (state: State): number => [...state.bdbs.values()].reduce((n, b) => n + b.shard_list.length, 0)

/** 48 alphanumerics, like the admin passwords RS generates. */
export function randomPassword (length = 48): string {
  const abc = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
  return [...randomBytes(length)].map(b => abc[b % abc.length]).join('')
}

/** Sets `key` keeping the object's keys in sorted order (the wire order of every captured object). */
export function setSorted<T extends Record<string, unknown>> (obj: T, key: string, value: unknown): T {
  if (key in obj) {
    (obj as Record<string, unknown>)[key] = value
    return obj
  }
  const entries = Object.entries(obj)
  const at = entries.findIndex(([k]) => k > key)
  entries.splice(at === -1 ? entries.length : at, 0, [key, value])
  for (const k of Object.keys(obj)) delete (obj as Record<string, unknown>)[k]
  return Object.assign(obj, Object.fromEntries(entries))
}
