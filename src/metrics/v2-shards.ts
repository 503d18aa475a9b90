// The v2 shard metrics (redis_server_*, namedprocess_*, shard_ping_*): one set per shard the REST
// API lists, labelled as RS does (db, redis, role, node). Gauges are the shard's stats sample;
// the INFO totals (hits, misses, commands, ...) are counters of its rates, or with --redis the
// real server's own totals, shared among the database's masters.
import { V2_METRICS } from './catalog.js'
import type { Counters } from './counters.js'
import type { ShardView } from './scene.js'
import type { Emitter } from './emitter.js'

// search metrics RS shows only when positive stay out while the mock has no index (v2 page)
const SEARCH = V2_METRICS.filter(m => m.only.includes('search') && !m.only.includes('positive')).map(m => m.name)
const ZERO = [
  'redis_server_active_defrag_running', 'redis_server_aof_last_cow_size', 'redis_server_aof_rewrites', 'redis_server_aof_delayed_fsync',
  'redis_server_expire_cycle_cpu_milliseconds', 'redis_server_forwarding_state', 'redis_server_keys_trimmed',
  'redis_server_master_sync_in_progress', 'redis_server_mem_aof_buffer', 'redis_server_mem_not_counted_for_evict',
  'redis_server_module_fork_in_progress', 'redis_server_rdb_bgsave_in_progress', 'redis_server_rdb_last_cow_size',
  'redis_server_rdb_saves', 'redis_server_repl_touch_bytes', 'redis_server_strings_sizes_128M_to_512M', 'redis_server_strings_sizes_over_512M',
  ...['hashes', 'lists', 'sets', 'zsets'].flatMap(t => ['under_1M', '1M_to_8M', 'over_8M'].map(b => `redis_server_${t}_items_${b}`))
]
// each CPU mode's counter names and sample keys, made once
const CPU = (['user', 'system'] as const).map(mode => ({ mode, cpu: `cpu:${mode}`, main: `main:${mode}`, cpuKey: `shard_cpu_${mode}`, mainKey: `main_thread_cpu_${mode}` }))
const BIG_IO = ['redis_server_big_io_dels', 'redis_server_big_io_read_bytes', 'redis_server_big_io_reads', 'redis_server_big_io_write_bytes', 'redis_server_big_io_writes']

export function shardSeries (e: Emitter, c: Counters, s: ShardView): void {
  const { scene } = e
  const role = s.master ? 'master' : 'slave'
  const labels = e.labels({ cluster: scene.cluster, db: s.bdb.uid, node: s.nodeUid, redis: s.uid, role, shard_type: 'ram' }, s.nodeUid)
  if (labels === undefined) return
  const g = c.group(`shard:${s.uid}:${s.bdb.created_time}`)
  const failing = g.failing('ping', !s.up, scene.now)
  const ping = e.labels({ cluster: scene.cluster, db: s.bdb.uid, node: s.nodeUid, shard_uid: s.uid, role }, s.nodeUid)
  e.put('redis_server_up', labels, s.up ? 1 : 0)
  e.put('shard_ping_failures', ping, s.up ? 0 : failing + 1)
  e.put('shard_ping_failure_duration_seconds', ping, failing)
  if (!s.up || s.sample === undefined) return

  const sample = s.sample
  const v = (k: string): number => Number(sample[k] ?? 0)
  const view = scene.bdbByUid.get(s.bdb.uid)
  const db = view?.sample ?? {}
  const masters = Math.max(1, s.bdb.shards_count)
  const shards = Math.max(1, s.bdb.shard_list.length)
  const share = s.master ? 1 / masters : 0
  const live = view?.live
  // a total: the real server's (--redis), else the stats rate run up as a counter
  const total = (name: string, rate: number, measured?: number): number =>
    measured === undefined ? g.advance(name, rate, scene.now) : g.follow(name, Math.round(measured * share), scene.now)
  const used = v('used_memory')
  const node = scene.nodes.find(n => n.uid === s.nodeUid)?.node ?? {}
  const siblings = scene.shardsByBdb.get(s.bdb.uid) ?? []
  const replicaUp = s.bdb.replication === true && siblings.some(o => !o.master && o.up)
  const masterUp = siblings.some(o => o.master && o.up)

  e.put('redis_server_used_memory', labels, used)
  e.put('redis_server_allocator_allocated', labels, used)
  e.put('redis_server_allocator_active', labels, Math.round(used * 1.05))
  e.put('redis_server_allocator_resident', labels, Math.round(used * 1.1))
  e.put('redis_server_maxmemory', labels, Math.floor(s.bdb.memory_size / shards))
  e.put('redis_server_max_process_mem', labels, Math.round(Number(node.total_memory ?? 0) * 0.8))
  e.put('redis_server_mem_fragmentation_ratio', labels, v('mem_frag_ratio'))
  e.put('redis_server_used_memory_lua', labels, v('mem_size_lua'))
  e.put('redis_server_mem_clients_normal', labels, v('connected_clients') * 20_496)
  e.put('redis_server_mem_clients_slaves', labels, s.master && replicaUp ? 20_496 : 0)
  e.put('redis_server_mem_replication_backlog', labels, s.bdb.replication === true ? 1_048_576 : 0)
  e.put('redis_server_slave_buffer', labels, Math.min(2_048 * 1_048_576, Math.max(64 * 1_048_576, Math.round(used * 0.5))))
  e.put('redis_server_aof_rewrite_in_progress', labels, v('aof_rewrite_inprog'))
  e.put('redis_server_blocked_clients', labels, v('blocked_clients'))
  e.put('redis_server_connected_clients', labels, live === undefined ? v('connected_clients') : Math.round(live.clients * share))
  e.put('redis_server_connected_slaves', labels, s.master && replicaUp ? 1 : 0)
  e.put('redis_server_db_avg_ttl', labels, v('avg_ttl'))
  e.put('redis_server_db0_avg_ttl', labels, v('avg_ttl'))
  e.put('redis_server_db_keys', labels, v('no_of_keys'))
  e.put('redis_server_db0_keys', labels, v('no_of_keys'))
  e.put('redis_server_db_expires', labels, v('no_of_expires'))
  e.put('redis_server_strings_sizes_under_128M', labels, v('no_of_keys'))
  e.put('redis_server_instantaneous_ops_per_sec', labels, v('total_req'))
  e.put('redis_server_pubsub_channels', labels, v('pubsub_channels'))
  e.put('redis_server_pubsub_patterns', labels, v('pubsub_patterns'))
  // 1 = up, 2 = down, 3 = none (a master has no master)
  e.put('redis_server_master_link_status', labels, s.master ? 3 : masterUp ? 1 : 2)
  for (const name of ZERO) e.put(name, labels, 0)

  const netIn = Number(db.ingress_bytes ?? 0) * share
  e.put('redis_server_keyspace_read_hits', labels, total('read_hits', v('read_hits'), live?.hits))
  e.put('redis_server_keyspace_read_misses', labels, total('read_misses', v('read_misses'), live?.misses))
  e.put('redis_server_keyspace_write_hits', labels, total('write_hits', v('write_hits')))
  e.put('redis_server_keyspace_write_misses', labels, total('write_misses', v('write_misses')))
  e.put('redis_server_evicted_keys', labels, total('evicted', v('evicted_objects'), live?.evicted))
  e.put('redis_server_expired_keys', labels, total('expired', v('expired_objects'), live?.expired))
  e.put('redis_server_total_commands_processed', labels, total('commands', v('total_req'), live?.commands))
  e.put('redis_server_total_connections_received', labels, total('connections', Number(db.total_connections_received ?? 0) * share, live?.connectionsReceived))
  e.put('redis_server_total_net_input_bytes', labels, total('net_in', netIn, live?.netIn))
  e.put('redis_server_total_net_output_bytes', labels, total('net_out', Number(db.egress_bytes ?? 0) * share, live?.netOut))
  e.put('redis_server_master_repl_offset', labels, c.advance(`${s.bdb.uid}:${s.bdb.created_time}:${s.master ? s.uid : 'replica'}:repl`, s.bdb.replication === true ? netIn : 0, scene.now))

  // the process's labels and each series' own one more (written out: spreading objects cost more than the rest of a shard)
  const { cluster } = scene
  const { uid: redis, nodeUid } = s
  const dbUid = s.bdb.uid
  const groupname = `redis-${redis}`
  const proc = e.labels({ cluster, db: dbUid, node: nodeUid, redis, role, groupname }, nodeUid)
  if (proc === undefined) return
  for (const m of CPU) {
    e.put('namedprocess_namegroup_cpu_seconds_total', e.labels({ cluster, db: dbUid, node: nodeUid, redis, role, groupname, mode: m.mode }, nodeUid), g.advance(m.cpu, v(m.cpuKey), scene.now))
    e.put('namedprocess_namegroup_thread_cpu_seconds_total', e.labels({ cluster, db: dbUid, node: nodeUid, redis, role, groupname, mode: m.mode, threadname: 'redis-server' }, nodeUid), g.advance(m.main, v(m.mainKey), scene.now))
  }
  e.put('namedprocess_namegroup_open_filedesc', proc, 32 + v('connected_clients'))
  e.put('namedprocess_namegroup_memory_bytes', e.labels({ cluster, db: dbUid, node: nodeUid, redis, role, groupname, memtype: 'resident' }, nodeUid), Math.round(used * 1.1))
  e.put('namedprocess_namegroup_memory_bytes', e.labels({ cluster, db: dbUid, node: nodeUid, redis, role, groupname, memtype: 'virtual' }, nodeUid), Math.round(used * 1.1) + 268_435_456)
  e.put('namedprocess_namegroup_oldest_start_time_seconds', proc, Math.floor((Date.parse(s.bdb.created_time) || 0) / 1000))
  e.put('namedprocess_namegroup_thread_count', e.labels({ cluster, db: dbUid, node: nodeUid, redis, role, groupname, threadname: 'redis-server' }, nodeUid), 1)

  if (s.bdb.bigstore === true) for (const name of BIG_IO) e.put(name, labels, 0)
  if (((s.bdb.module_list ?? []) as Array<{ module_name?: string }>).some(m => m.module_name === 'search')) for (const name of SEARCH) e.put(name, labels, 0)
}
