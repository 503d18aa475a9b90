// Read-only cluster information (docs/rs-api-notes.md §5.14): module capabilities, DNS suffixes, a database's
// Replica Of migration status and the usage report. All derived from the state.
import { createHash } from 'node:crypto'
import { bdbNotFound, suffixNotFound } from '../../base/errors.js'
import { mustGet, type Core, type Json } from '../kernel/index.js'
import type { Stats } from '../monitoring/index.js'

// The capabilities a module can declare (objects/module.md, and the fixture modules' lists).
const CAPABILITIES: ReadonlyArray<[string, string]> = [
  ['types', 'module has its own types and not only operate on existing redis types'],
  ['no_multi_key', 'module has no methods that operate on multiple keys'],
  ['replica_of', 'module can work with replica-of'],
  ['eviction_expiry', 'module is able to handle eviction and expiry without an issue'],
  ['failover_migrate', 'module supports failover and migration'],
  ['persistence_aof', 'module supports aof persistence'],
  ['persistence_rdb', 'module supports rdb persistence'],
  ['clustering', 'module can work in a sharded database'],
  ['backup_restore', 'module can work in a database with backup and restore'],
  ['reshard_rebalance', 'module supports resharding and rebalancing'],
  ['flash', 'module supports Auto Tiering (flash)'],
  ['crdb', 'module supports Active-Active databases'],
  ['intershard_tls', 'module supports encrypted communication between shards'],
  ['intershard_tls_pass', 'module supports encrypted communication between shards with a password'],
  ['ipv6', 'module supports IPv6'],
  ['hash_policy', 'module supports a custom hashing policy'],
  ['bigstore_version_2', 'module supports bigstore version 2']
]

export class ClusterInfo {
  constructor (private readonly core: Core, private readonly stats: Stats) {}

  moduleCapabilities (): Json {
    return { all_capabilities: CAPABILITIES.map(([name, desc]) => ({ name, desc })) }
  }

  /** The cluster's DNS zone and its internal twin (docs/decisions.md #29), keys in the objects page's order. */
  suffixes (): Json[] {
    const name = String(this.core.state.cluster.name)
    const zone = (n: string, internal: boolean): Json => ({ default: !internal, internal, mdns: false, name: n, slaves: [], use_aaaa_ns: false })
    return [zone(name, false), zone(`internal.${name}`, true)]
  }

  suffix (name: string): Json {
    const found = this.suffixes().find(s => s.name === name)
    if (found === undefined) throw suffixNotFound(name)
    return found
  }

  /** GET /v1/migrations/{uid}: the Replica Of sync of a database (docs/decisions.md #29: its replica_sync as the status). */
  migration (uid: number): Json {
    const bdb = mustGet(this.core.state.bdbs, uid, bdbNotFound) as unknown as Json
    const sources = (bdb.replica_sources as Json[] | undefined) ?? []
    return {
      migration: {
        status: String(bdb.replica_sync ?? 'disabled'),
        lag: 0,
        rdb_size: 0,
        rdb_transferred: 0,
        run_id: '',
        flush_counter: 0,
        source_shards: sources.map(() => ({ replication_id: '', replication_offset: 0 }))
      }
    }
  }

  /** GET /v1/usage_report: one NDJSON line per database, then the MD5 of the lines. */
  usageReport (): string {
    const { state } = this.core
    const cluster = state.cluster
    const uuid = createHash('sha256').update(String(cluster.name)).digest('hex')
    const clusterUuid = `${uuid.slice(0, 8)}-${uuid.slice(8, 12)}-4${uuid.slice(13, 16)}-a${uuid.slice(17, 20)}-${uuid.slice(20, 32)}`
    const date = new Date(this.core.now()).toISOString().replace('Z', '000Z')
    const license = state.license ?? {}
    const node = state.nodes.values().next().value as Json | undefined
    const lines = [...state.bdbs.values()].map(b => {
      const bdb = b as unknown as Json
      let sample: Json = {}
      try { sample = Object.values(this.stats.bdbLast(b.uid, {}))[0] ?? {} } catch { /* not active: no traffic */ }
      const flash = bdb.bigstore === true
      return JSON.stringify({
        cluster_name: cluster.name,
        cluster_uuid: clusterUuid,
        date,
        software_version: String(node?.software_version ?? ''),
        api_version: '1',
        bdb_uid: String(b.uid),
        type: flash ? 'auto_tiering' : (bdb.module_list as unknown[] | undefined)?.length ? 'premium' : 'core',
        shard_type: flash ? 'auto_tiering' : 'normal',
        dominant_shard_criteria: flash ? 'rof' : 'mem',
        provisioned_memory: b.memory_size,
        used_memory: Number(sample.used_memory ?? 0),
        master_shards_count: b.shards_count,
        no_eviction: bdb.eviction_policy === 'noeviction',
        persistence: bdb.data_persistence !== undefined && bdb.data_persistence !== 'disabled',
        backup: bdb.backup === true,
        using_redis_search: ((bdb.module_list as Json[] | undefined) ?? []).some(m => m.module_name === 'search'),
        ops_sec: Number(sample.instantaneous_ops_per_sec ?? 0),
        replication: bdb.replication === true,
        active_active: bdb.crdt === true,
        license: {
          activation_date: license.activation_date,
          expiration_date: license.expiration_date,
          ram_shards_in_use: license.ram_shards_in_use,
          ram_shards_limit: license.ram_shards_limit,
          flash_shards_in_use: license.flash_shards_in_use,
          flash_shards_limit: license.flash_shards_limit,
          shards_limit: license.shards_limit
        }
      })
    })
    const body = lines.map(l => l + '\n').join('')
    return body + createHash('md5').update(body).digest('hex') + '\n'
  }
}
