// GET /metrics and / (the v1 exporter, deprecated in RS but what most dashboards still read):
// every name of the v1 page, all gauges as RS exports them. bdb_*, node_* and listener_* are
// the stats routes' values of the same second (rates per second, as /v1/*/stats); redis_* are
// the shard's INFO-style values, the same numbers as v2's redis_server_* (one source).
import { V1_METRICS } from './catalog.js'
import { Exposition, type Labels, type Layout } from './exposition.js'
import type { Counters } from './counters.js'
import type { Scene } from './scene.js'
import { Emitter } from './v2.js'
import { shardSeries } from './v2-shards.js'

const SYNC_STATUS: Record<string, number> = { 'in-sync': 0, syncing: 1, 'out-of-sync': 2 }
const V1_NAMES = new Set(V1_METRICS.map(m => m.name))
const CONDITIONS = new Map(V1_METRICS.map(m => [m.name, m.only]))
/** each v1 name of a table with the sample key it reads (bdb_x, bdb_x_max → x) */
const keyed = (section: string, prefix: string): Array<[string, string]> => V1_METRICS
  .filter(m => m.section === section && m.name.startsWith(prefix))
  .map(m => [m.name, m.name.slice(prefix.length).replace(/_(max|min|median)$/, '')])
const BDB_NAMES = keyed('database', 'bdb_')
const NODE_NAMES = keyed('node', 'node_')
const LISTENER_NAMES = keyed('proxy', 'listener_')

const RENAMED: Record<string, string> = {
  redis_server_db_expires: 'redis_db0_expires',
  namedprocess_namegroup_open_filedesc: 'redis_process_open_fds',
  namedprocess_namegroup_oldest_start_time_seconds: 'redis_process_start_time_seconds',
  redis_server_up: 'redis_up'
}
const v1Names = new Map<string, string | undefined>()

/** v2 shard series → their v1 name (the process metrics by mode or memory type). */
function v1Name (name: string, labels: Labels): string | undefined {
  switch (name) {
    case 'namedprocess_namegroup_cpu_seconds_total': return `redis_process_cpu_${labels.mode}_seconds_total`
    case 'namedprocess_namegroup_thread_cpu_seconds_total': return `redis_process_main_thread_cpu_${labels.mode}_seconds_total`
    case 'namedprocess_namegroup_memory_bytes': return `redis_process_${labels.memtype}_memory_bytes`
  }
  if (!v1Names.has(name)) {
    const v1 = RENAMED[name] ?? (name.startsWith('redis_server_') ? `redis_${name.slice('redis_server_'.length)}` : undefined)
    v1Names.set(name, v1 !== undefined && V1_NAMES.has(v1) ? v1 : undefined)
  }
  return v1Names.get(name)
}

/** Takes v2 shard series and writes them under their v1 names and labels (bdb, not db). */
class V1ShardEmitter extends Emitter {
  // one v1 label object per v2 one, so its text is made once (exposition.ts)
  private readonly v1Labels = new WeakMap<Labels, Labels>()

  override put (name: string, labels: Labels | undefined, value: number): void {
    if (labels === undefined || labels.shard_uid !== undefined) return // shard_ping_* have no v1 form
    const v1 = v1Name(name, labels)
    if (v1 === undefined || !V1_NAMES.has(v1)) return
    let mapped = this.v1Labels.get(labels)
    if (mapped === undefined) {
      const { db, groupname: _g, threadname: _t, mode: _m, memtype: _y, ...rest } = labels
      this.v1Labels.set(labels, mapped = { cluster: rest.cluster, bdb: db, ...rest })
    }
    this.out.add(v1, mapped, value)
  }
}

/** LAYOUT: the page's layout of the last scrape, reused while the series are the same (exposition.ts). */
export function renderV1 (scene: Scene, counters: Counters, layout?: Layout): Buffer {
  const out = new Exposition(layout)
  for (const m of V1_METRICS) out.declare(m.name, 'gauge', m.help)
  const put = (name: string, labels: Labels, value: number): void => out.add(name, labels, value)
  const bigredis = scene.bdbs.some(b => b.bdb.bigstore === true)
  const shown = (name: string, traffic: boolean, big = bigredis): boolean => {
    const only = CONDITIONS.get(name) ?? []
    return (!only.includes('traffic') || traffic) && (!only.includes('bigredis') || big)
  }
  const fromSample = (names: ReadonlyArray<[string, string]>, sample: Record<string, unknown>, labels: Labels, traffic: boolean, big = bigredis): void => {
    for (const [name, key] of names) {
      if (key in sample && shown(name, traffic, big)) put(name, labels, Number(sample[key]))
    }
  }

  for (const n of scene.nodes) {
    const labels = { cluster: scene.cluster, node: n.uid }
    put('node_up', labels, n.up ? 1 : 0)
    if (!n.up || n.sample === undefined) continue
    const on = scene.endpoints.filter(ep => ep.proxy === n.uid)
    const reqs = on.reduce((sum, ep) => sum + Number(ep.sample.total_req ?? 0), 0)
    const latency = reqs === 0 ? undefined : on.reduce((sum, ep) => sum + Number(ep.sample.total_req ?? 0) * Number(scene.bdbByUid.get(ep.bdb.uid)?.sample?.avg_latency ?? 0), 0) / reqs * 1000
    fromSample(NODE_NAMES, { ...n.sample, avg_latency: latency, cert_expiration_seconds: scene.certExpiry, bigstore_free: 0, bigstore_iops: 0, bigstore_kv_ops: 0, bigstore_throughput: 0 }, labels, reqs > 0)
  }
  const limit = scene.license?.ram_shards_limit ?? scene.license?.shards_limit
  if (typeof limit === 'number') put('cluster_shards_limit', { cluster: scene.cluster, shard_type: 'ram' }, limit)

  for (const { bdb, monitor, sample } of scene.bdbs) {
    const labels = { cluster: scene.cluster, bdb: bdb.uid }
    put('bdb_up', labels, sample !== undefined && monitor.unavailable === null ? 1 : 0)
    put('bdb_memory_limit', labels, bdb.memory_size)
    if (sample === undefined) continue
    const traffic = Number(sample.total_req ?? 0) > 0
    fromSample(BDB_NAMES, sample, labels, traffic, bdb.bigstore === true)
    if (shown('no_of_expires', traffic)) put('no_of_expires', labels, Number(sample.no_of_expires ?? 0))
    put('bdb_shards_used', { ...labels, shard_type: 'ram' }, bdb.shard_list.length)
    if (bdb.bigstore === true) put('bdb_bigstore_shard_count', { ...labels, driver: 'speedb' }, bdb.shard_list.length)
  }

  for (const ep of scene.endpoints) {
    const s = ep.sample
    const labels = { cluster: scene.cluster, bdb: ep.bdb.uid, endpoint: ep.uid, node: ep.proxy, port: ep.port, proxy: ep.proxy }
    // the endpoint's sample is /v1/endpoints/stats': every listener metric is there
    fromSample(LISTENER_NAMES, s, labels, true)
  }

  for (const sync of scene.syncs) {
    const prefix = sync.kind === 'replica' ? 'bdb_replicaof_syncer_' : 'bdb_crdt_syncer_'
    const labels = { cluster: scene.cluster, bdb: sync.bdb.uid, source: sync.source }
    put(`${prefix}ingress_bytes`, labels, sync.ingress)
    put(`${prefix}ingress_bytes_decompressed`, labels, sync.ingress * 10)
    put(`${prefix}local_ingress_lag_time`, labels, sync.lagMs)
    put(`${prefix}status`, labels, SYNC_STATUS[sync.status] ?? 2)
  }

  const shards = new V1ShardEmitter(out, scene, {})
  for (const s of scene.shards) {
    shardSeries(shards, counters, s)
    if (!s.up || s.sample === undefined) continue
    const labels = { cluster: scene.cluster, bdb: s.bdb.uid, node: s.nodeUid, redis: s.uid, role: s.master ? 'master' : 'slave', shard_type: 'ram' }
    put('redis_process_cpu_usage_percent', labels, (Number(s.sample.shard_cpu_user ?? 0) + Number(s.sample.shard_cpu_system ?? 0)) * 100)
    put('redis_process_max_fds', labels, 10_000)
  }
  return out.bytes()
}
