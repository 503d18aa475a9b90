// A shard's `redis_info` for GET /v1/shards?extra_info_keys=... (the shards page's extra_info_keys
// tables): the INFO fields asked for, from the database's real redis-server when it runs one
// (--redis), else made from the same synthetic metrics as /v1/shards/stats, so the two agree.
import type { Json } from '../kernel/index.js'
import type { Placement } from '../topology/index.js'
import type { Metrics } from './stats-series.js'

/** INFO's text fields as parsed (`field:value` lines). */
export type InfoFields = Record<string, string>

// INFO answers numbers as text; RS turns integer and decimal fields into JSON numbers.
const typed = (v: string): string | number => /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v

/** What INFO would say, field by field, for a shard with metrics M (the model's, without --redis). */
export function modelledInfo (p: Placement, m: Metrics, nowMs: number): Record<string, string | number> {
  const used = Number(m.used_memory)
  // every shard, replicas included, holds its part of memory_size: the split used_memory and the
  // exporter's redis_server_maxmemory make too, so used/max is the database's ratio everywhere
  const shards = Math.max(1, p.bdb.shard_list.length)
  const createdSec = Math.floor((Date.parse(p.bdb.created_time) || nowMs) / 1000)
  const offset = Math.max(0, Math.floor(nowMs / 1000) - createdSec) * 64
  return {
    aof_enabled: p.bdb.data_persistence === 'aof' ? 1 : 0,
    aof_rewrite_in_progress: Number(m.aof_rewrite_inprog),
    blocked_clients: Number(m.blocked_clients),
    client_recent_max_input_buffer: 0,
    client_recent_max_output_buffer: 0,
    configured_hz: 10,
    connected_clients: Number(m.connected_clients),
    hz: 10,
    master_repl_offset: offset,
    ...(p.master ? {} : { master_last_io_seconds_ago: 0, slave_repl_offset: offset }),
    maxmemory: Math.floor(Number(p.bdb.memory_size) / shards),
    rdb_bgsave_in_progress: 0,
    rdb_changes_since_last_save: Number(m.rdb_changes_since_last_save),
    rdb_last_bgsave_status: 'ok',
    rdb_last_save_time: createdSec,
    redis_version: String(p.bdb.version ?? p.bdb.redis_version ?? ''),
    role: p.master ? 'master' : 'slave',
    used_memory: used,
    used_memory_dataset: Math.max(0, used - 900_000),
    used_memory_lua: Number(m.mem_size_lua),
    used_memory_overhead: Math.min(used, 900_000),
    used_memory_peak: used,
    used_memory_rss: Math.round(used * Number(m.mem_frag_ratio || 1))
  }
}

/** The fields KEYS of a shard, in the order asked; a field INFO does not have is left out, as RS does. */
export function redisInfo (p: Placement, keys: readonly string[], m: Metrics, live: InfoFields | undefined, nowMs: number): Json {
  const source: Record<string, string | number> = live === undefined ? modelledInfo(p, m, nowMs) : live
  const out: Json = {}
  for (const k of keys) {
    const v = source[k]
    if (v !== undefined) out[k] = typeof v === 'string' ? typed(v) : v
  }
  return out
}
