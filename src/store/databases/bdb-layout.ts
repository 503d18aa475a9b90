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
export function checkPort (state: State, port: number, ownUid: number): void {
  if (port < DB_PORT_MIN || port > DB_PORT_MAX) throw portUnavailable(port, `database ports are ${DB_PORT_MIN}-${DB_PORT_MAX}`)
  if (reservedPorts(state).has(port)) throw portUnavailable(port, 'reserved by the cluster')
  for (const b of state.bdbs.values()) {
    if (b.uid !== ownUid && boundPort(b) === port) throw portUnavailable(port, `used by database ${b.uid}`)
  }
}

/** The lowest free port of the range (`busy`: also taken outside the cluster). */
export function allocatePort (state: State, busy?: (port: number) => boolean): number {
  const taken = reservedPorts(state)
  for (const b of state.bdbs.values()) taken.add(boundPort(b))
  for (let p = DB_PORT_MIN; p <= DB_PORT_MAX; p++) if (!taken.has(p) && busy?.(p) !== true) return p
  throw portUnavailable(0, 'no free port left in the database range')
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
