// Synthetic but consistent metric values (docs/rs-api-notes.md §5.11). Everything derives from the
// state, the test-set load (health.ts) and a hash of uid + bucket, never from Math.random:
// a database's used_memory stays within memory_size, an idle or new database shows zero traffic,
// nodes add up their shards, and the cluster adds up its nodes.
import type { Bdb } from '../../schemas/bdb.js'
import type { Placement } from '../topology/index.js'
import type { BdbMonitor } from './monitoring-state.js'
import { isoSeconds, type Json } from '../kernel/index.js'
import { noise, r3, type Metrics } from './stats-series.js'

const EPOCH = '1970-01-01T00:00:00Z'
// an empty Redis process's memory, per shard (the capture's idle database: ~1.43 MB)
const SHARD_OVERHEAD = 1_400_000
const BYTES_PER_KEY = 200

export type Node = Json & { uid: number }

export function bdbMetrics (bdb: Bdb, m: BdbMonitor, start: number, len: number): Metrics {
  const n = (k: string): number => noise(bdb.uid, k, start, len)
  const ops = m.ops_per_sec
  const total = ops === 0 ? 0 : r3(ops * (0.95 + 0.1 * n('ops')))
  const read = r3(total * 0.7)
  const write = r3(total * 0.25)
  const other = r3(Math.max(0, total - read - write))
  const shards = Math.max(1, bdb.shard_list?.length ?? 1)
  const load = Math.min(0.95, total / (80_000 * Math.max(1, bdb.shards_count)))
  const conns = total === 0 ? 0 : Math.round(4 + ops / 250)
  const used = Math.min(bdb.memory_size, SHARD_OVERHEAD * shards + Math.floor(n('mem') * 40_000) + m.no_of_keys * BYTES_PER_KEY)
  const busy = total === 0 ? EPOCH : isoSeconds(start + len)
  const cpuSystem = r3(0.001 * n('cs') + load * 0.3)
  const cpuUser = r3(0.002 * n('cu') + load * 0.6)
  const out: Metrics = {
    conns,
    egress_bytes: r3(total * 310),
    evicted_objects: 0,
    expired_objects: 0,
    fork_cpu_system: 0,
    fork_cpu_user: 0,
    ingress_bytes: r3(total * 95),
    instantaneous_ops_per_sec: total,
    last_req_time: busy,
    last_res_time: busy,
    main_thread_cpu_system: cpuSystem,
    main_thread_cpu_user: cpuUser,
    mem_frag_ratio: m.no_of_keys === 0 ? r3(13 + n('frag')) : r3(1.05 + 0.2 * n('frag')),
    mem_not_counted_for_evict: 0,
    mem_size_lua: 31744,
    monitor_sessions_count: 0,
    no_of_expires: Math.floor(m.no_of_keys / 10),
    no_of_keys: m.no_of_keys,
    other_req: other,
    other_res: other,
    pubsub_channels: 0,
    pubsub_patterns: 0,
    read_hits: r3(read * 0.9),
    read_misses: r3(read - r3(read * 0.9)),
    read_req: read,
    read_res: read,
    shard_cpu_system: cpuSystem,
    shard_cpu_user: r3(cpuUser + 0.001 * n('su')),
    total_connections_received: total === 0 ? 0 : r3(conns / 100),
    total_req: total,
    total_res: total,
    used_memory: used,
    write_hits: r3(write * 0.97),
    write_misses: r3(write - r3(write * 0.97)),
    write_req: write,
    write_res: write
  }
  // Latencies (seconds) exist only while there is traffic, as on RS.
  if (total > 0) {
    const lat = (k: string, f: number): number => Math.round((0.00011 * f * (0.9 + 0.2 * n(k)) + m.latency_ms / 1000) * 1e6) / 1e6
    Object.assign(out, { avg_latency: lat('l', 1), avg_other_latency: lat('lo', 1.5), avg_read_latency: lat('lr', 0.9), avg_write_latency: lat('lw', 1.2) })
  }
  for (const [k, v] of Object.entries(m.metrics)) out[k] = k === 'used_memory' ? Math.min(v, bdb.memory_size) : v
  return out
}

/** A shard's part of its database's sample: masters split the traffic, replicas mirror the data. */
export function shardMetrics (s: Placement, db: Metrics): Metrics {
  const masters = Math.max(1, s.bdb.shards_count)
  const shards = Math.max(1, s.bdb.shard_list.length)
  const part = (k: string): number => s.master ? r3(Number(db[k]) / masters) : 0
  const same = (k: string): number => Number(db[k])
  return {
    aof_rewrite_inprog: 0,
    avg_ttl: 0,
    blocked_clients: 0,
    connected_clients: s.master ? Math.round(Number(db.conns) / masters) : 1,
    evicted_objects: part('evicted_objects'),
    expired_objects: part('expired_objects'),
    fork_cpu_system: 0,
    fork_cpu_user: 0,
    // RDB saves are not simulated: the last one is the database's creation
    last_save_time: Math.floor((Date.parse(s.bdb.created_time) || 0) / 1000),
    main_thread_cpu_system: s.master ? same('main_thread_cpu_system') : 0,
    main_thread_cpu_user: s.master ? same('main_thread_cpu_user') : 0.001,
    mem_frag_ratio: same('mem_frag_ratio'),
    mem_size_lua: same('mem_size_lua'),
    no_of_expires: Math.floor(Number(db.no_of_expires) / masters),
    no_of_keys: Math.floor(Number(db.no_of_keys) / masters),
    pubsub_channels: 0,
    pubsub_patterns: 0,
    rdb_changes_since_last_save: 0,
    read_hits: part('read_hits'),
    read_misses: part('read_misses'),
    shard_cpu_system: s.master ? same('shard_cpu_system') : 0,
    shard_cpu_user: s.master ? same('shard_cpu_user') : 0.001,
    // no replica ever resynchronizes in the mock
    sync_full: 0,
    sync_partial_err: 0,
    sync_partial_ok: 0,
    total_req: part('total_req'),
    used_memory: Math.floor(Number(db.used_memory) / shards),
    used_memory_peak: Math.floor(Number(db.used_memory) / shards),
    used_memory_rss: Math.round(Number(db.used_memory) / shards * Number(db.mem_frag_ratio)),
    write_hits: part('write_hits'),
    write_misses: part('write_misses')
  }
}

export interface NodeLoad { shardMemory: number, reserved: number, ops: number, conns: number, ingress: number, egress: number }

export function emptyLoad (): NodeLoad { return { shardMemory: 0, reserved: 0, ops: 0, conns: 0, ingress: 0, egress: 0 } }

/** Adds one shard to its node's load; the database's traffic goes to the nodes of its masters. */
export function addShard (load: NodeLoad, s: Placement, db: Metrics): void {
  const masters = Math.max(1, s.bdb.shards_count)
  const shards = Math.max(1, s.bdb.shard_list.length)
  load.shardMemory += Math.floor(Number(db.used_memory) / shards)
  load.reserved += Math.floor(s.bdb.memory_size / shards)
  if (!s.master) return
  load.ops += Number(db.total_req) / masters
  load.conns += Number(db.conns) / masters
  load.ingress += Number(db.ingress_bytes) / masters
  load.egress += Number(db.egress_bytes) / masters
}

export function nodeMetrics (node: Node, load: NodeLoad, start: number, len: number): Metrics {
  const n = (k: string): number => noise('node', node.uid, k, start, len)
  const total = Number(node.total_memory ?? 0)
  const cores = Math.max(1, Number(node.cores ?? 1))
  const os = Math.round(total * (0.2 + 0.01 * n('os')))
  const available = Math.max(0, Math.round(total * 0.8 - load.reserved))
  const provisional = Math.max(0, Math.round(available - total * 0.1))
  const cpu = Math.min(0.9, load.ops / (cores * 40_000))
  const cpuUser = r3(0.003 + 0.003 * n('cu') + cpu * 0.65)
  const cpuSystem = r3(0.002 + 0.002 * n('cs') + cpu * 0.25)
  const cpuIrqs = r3(0.001 + 0.001 * n('ci'))
  const cpuIowait = r3(0.002 * n('cw'))
  const storage = (size: unknown, k: string): [number, number] => {
    const free = Math.round(Number(size ?? 0) * (0.88 - 0.0001 * n(k)))
    return [Math.round(free * 0.95), free]
  }
  const [pAvail, pFree] = storage(node.persistent_storage_size, 'p')
  const [eAvail, eFree] = storage(node.ephemeral_storage_size, 'e')
  return {
    available_flash: 0,
    available_flash_no_overbooking: 0,
    available_memory: available,
    available_memory_no_overbooking: available,
    conns: Math.round(load.conns),
    cpu_idle: r3(1 - cpuUser - cpuSystem - cpuIrqs - cpuIowait),
    cpu_iowait: cpuIowait,
    cpu_irqs: cpuIrqs,
    cpu_nice: 0,
    cpu_steal: 0,
    cpu_system: cpuSystem,
    cpu_user: cpuUser,
    cur_aof_rewrites: 0,
    egress_bytes: r3(load.egress),
    ephemeral_storage_avail: eAvail,
    ephemeral_storage_free: eFree,
    free_memory: Math.max(0, total - os - load.shardMemory),
    ingress_bytes: r3(load.ingress),
    persistent_storage_avail: pAvail,
    persistent_storage_free: pFree,
    provisional_flash: 0,
    provisional_flash_no_overbooking: 0,
    provisional_memory: provisional,
    provisional_memory_no_overbooking: provisional,
    total_req: r3(load.ops)
  }
}

const AVERAGED = new Set(['cpu_idle', 'cpu_iowait', 'cpu_irqs', 'cpu_nice', 'cpu_steal', 'cpu_system', 'cpu_user'])

/** The cluster's sample from its nodes' samples: CPU fractions averaged, everything else summed. */
export function clusterMetrics (nodeSamples: Metrics[]): Metrics {
  const out: Metrics = {}
  const keys = Object.keys(nodeSamples[0] ?? nodeMetrics({ uid: 0 }, emptyLoad(), 0, 1)).filter(k => k !== 'cur_aof_rewrites')
  for (const k of keys) {
    const sum = nodeSamples.reduce((acc, s) => acc + Number(s[k]), 0)
    out[k] = AVERAGED.has(k) ? r3(sum / Math.max(1, nodeSamples.length)) : r3(sum)
  }
  return out
}

/** An endpoint's sample: its database's client-facing traffic, split between its proxies. */
export function endpointMetrics (db: Metrics, proxies: number): Metrics {
  const part = (k: string): number => r3(Number(db[k]) / proxies)
  // accumulated latency: the responses of the bucket times their average latency (µs)
  const acc = (res: string, lat: string): number => r3(part(res) * Number(db[lat] ?? 0) * 1_000_000)
  // the database's last request and response, as epoch seconds (0: none yet)
  const epoch = (k: string): number => Math.floor(Date.parse(String(db[k] ?? '')) / 1000) || 0
  return {
    acc_latency: acc('total_res', 'avg_latency'),
    acc_other_latency: acc('other_res', 'avg_other_latency'),
    acc_read_latency: acc('read_res', 'avg_read_latency'),
    acc_write_latency: acc('write_res', 'avg_write_latency'),
    auth_cmds: 0,
    auth_errors: 0,
    cmd_flush: 0,
    cmd_get: part('read_req'),
    cmd_set: part('write_req'),
    cmd_touch: 0,
    conns: Math.round(Number(db.conns) / proxies),
    egress_bytes: part('egress_bytes'),
    ingress_bytes: part('ingress_bytes'),
    last_req_time: epoch('last_req_time'),
    last_res_time: epoch('last_res_time'),
    max_connections_exceeded: 0,
    monitor_sessions_count: 0,
    other_req: part('other_req'),
    other_res: part('other_res'),
    other_started_res: part('other_res'),
    read_req: part('read_req'),
    read_res: part('read_res'),
    read_started_res: part('read_res'),
    total_connections_received: part('total_connections_received'),
    total_req: part('total_req'),
    total_res: part('total_res'),
    total_started_res: part('total_res'),
    write_req: part('write_req'),
    write_res: part('write_res'),
    write_started_res: part('write_res')
  }
}
