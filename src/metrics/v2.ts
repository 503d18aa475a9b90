// GET /v2 (the metrics stream engine): every name of the v2 page, and the v2 names its PromQL
// examples and the transition table query, one series per object of the scene. Rates of the stats
// model become counters (counters.ts); gauges are the stats' values of the same second.
import { V2_METRICS, V2_REFERENCED } from './catalog.js'
import { Exposition, type Labels, type Layout } from './exposition.js'
import { Emitter, type V2Options } from './emitter.js'
import { Counters, LATENCY_BOUNDS_US, PIPELINE_BOUNDS } from './counters.js'
import type { Scene } from './scene.js'
import { shardSeries } from './v2-shards.js'

export { Emitter, type V2Options } from './emitter.js'

// RS's db_status codes (v2 page)
const DB_STATUS: Record<string, number> = { active: 0, 'active-change-pending': 1, pending: 2, 'import-pending': 3, 'delete-pending': 4, recovery: 5 }
const CPU_MODES = { user: 'cpu_user', system: 'cpu_system', idle: 'cpu_idle', iowait: 'cpu_iowait', irq: 'cpu_irqs', nice: 'cpu_nice', steal: 'cpu_steal' } as const
const CPU_KEYS = Object.entries(CPU_MODES)
/** each core's counter names by mode (`cpu:0:user`, ...), made once */
const cpuNames: string[][] = []
const cpuNamesOf = (cpu: number): string[] => (cpuNames[cpu] ??= CPU_KEYS.map(([mode]) => `cpu:${cpu}:${mode}`))

export function declareV2 (out: Exposition): void {
  for (const m of V2_METRICS) out.declare(m.name, m.type, m.help)
  for (const m of V2_REFERENCED) out.declare(m.name, m.type, 'Queried by RS\'s v1 to v2 transition table and v2 examples')
}

function nodes (e: Emitter, c: Counters): void {
  const { scene } = e
  const live = scene.nodes.filter(n => n.up).length
  if (scene.master !== c.master.uid) {
    c.master = { uid: scene.master, selections: c.master.selections + 1 }
  }
  for (const n of scene.nodes) {
    const base = e.labels({ cluster: scene.cluster, node: n.uid }, n.uid)
    e.put('node_metrics_up', base, n.up ? 1 : 0)
    if (!n.up || n.sample === undefined) continue
    const s = n.sample
    const v = (k: string): number => Number(s[k] ?? 0)
    e.put('node_available_flash_bytes', base, v('available_flash'))
    e.put('node_available_flash_no_overbooking_bytes', base, v('available_flash_no_overbooking'))
    e.put('node_available_memory_bytes', base, v('available_memory'))
    e.put('node_available_memory_no_overbooking_bytes', base, v('available_memory_no_overbooking'))
    if (scene.bdbs.some(b => b.bdb.bigstore === true)) {
      e.put('node_bigstore_free_bytes', base, Number(n.node.bigstore_free ?? 0))
      e.put('node_flash_reads_total', base, 0)
      e.put('node_flash_writes_total', base, 0)
    }
    if (scene.certExpiry !== undefined) e.put('node_cert_expires_in_seconds', base, scene.certExpiry)
    e.put('customer_managed_ine_certificates', base, 0)
    e.put('node_ephemeral_storage_avail_bytes', base, v('ephemeral_storage_avail'))
    e.put('node_ephemeral_storage_free_bytes', base, v('ephemeral_storage_free'))
    e.put('node_memory_MemFree_bytes', base, v('free_memory'))
    e.put('node_persistent_storage_avail_bytes', base, v('persistent_storage_avail'))
    e.put('node_persistent_storage_free_bytes', base, v('persistent_storage_free'))
    e.put('node_provisional_flash_bytes', base, v('provisional_flash'))
    e.put('node_provisional_flash_no_overbooking_bytes', base, v('provisional_flash_no_overbooking'))
    e.put('node_provisional_memory_bytes', base, v('provisional_memory'))
    e.put('node_provisional_memory_no_overbooking_bytes', base, v('provisional_memory_no_overbooking'))
    e.put('dmc_ping_failures', base, 0)
    e.put('dmc_ping_failure_duration_seconds', base, 0)
    // node_exporter's shape: one series per core and mode, each a share of that core's seconds
    const cores = Math.min(64, Math.max(1, Number(n.node.cores ?? 1)))
    const g = c.group(`node:${n.uid}`)
    for (let cpu = 0; cpu < cores; cpu++) {
      const names = cpuNamesOf(cpu)
      for (let i = 0; i < CPU_KEYS.length; i++) {
        const [mode, key] = CPU_KEYS[i]
        const labels = e.labels({ cluster: scene.cluster, node: n.uid, cpu, mode }, n.uid)
        e.put('node_cpu_seconds_total', labels, g.advance(names[i], v(key), scene.now))
      }
    }
    const dev = e.labels({ cluster: scene.cluster, node: n.uid, device: 'eth0' }, n.uid)
    e.put('node_network_receive_bytes_total', dev, g.advance('rx', v('ingress_bytes'), scene.now))
    e.put('node_network_transmit_bytes_total', dev, g.advance('tx', v('egress_bytes'), scene.now))
    // the cluster metrics each node's watchdog reports (v2 page: {node=<node_uid>})
    e.put('generation', base, scene.generation)
    e.put('has_quorum', base === undefined ? undefined : { ...base, has_witness_disk: 'false' }, scene.quorum ? 1 : 0)
    e.put('is_primary', base, n.uid === scene.master ? 1 : 0)
    e.put('total_live_nodes_count', base, live)
    e.put('total_nodes_count', base, scene.nodes.length)
    e.put('primary_selections_total', base, c.master.selections)
  }
  const cluster = e.labels({ cluster: scene.cluster })
  const lic = scene.license
  if (lic !== undefined) {
    const days = Math.floor((Date.parse(String(lic.expiration_date ?? '')) - scene.now) / 86_400_000)
    if (Number.isFinite(days)) e.put('license_expiration_days', cluster, Math.max(0, days))
    const ram = lic.ram_shards_limit ?? lic.shards_limit
    if (typeof ram === 'number') e.put('license_shards_limit', cluster === undefined ? undefined : { ...cluster, shard_type: 'ram' }, ram)
    if (typeof lic.flash_shards_limit === 'number') e.put('license_shards_limit', cluster === undefined ? undefined : { ...cluster, shard_type: 'flash' }, lic.flash_shards_limit)
  }
  e.put('users_count', cluster, scene.users)
}

function databases (e: Emitter): void {
  const { scene } = e
  for (const { bdb } of scene.bdbs) {
    const db = e.labels({ cluster: scene.cluster, db: bdb.uid })
    if (db === undefined) continue
    const port = bdb.endpoints?.[0]?.port ?? bdb.port ?? ''
    e.put('db_config', e.labels({ cluster: scene.cluster, db: bdb.uid, db_name: bdb.name, db_version: String(bdb.version ?? ''), db_port: String(port), tls_mode: String(bdb.tls_mode ?? 'disabled') }), 1)
    e.put('db_status', db, DB_STATUS[bdb.status] ?? 99)
    const tags: Labels = {}
    for (const t of (bdb.tags as Array<{ key: string, value: string }> | undefined) ?? []) tags[String(t.key).replace(/[^a-zA-Z0-9_]/g, '_')] = String(t.value)
    e.put('db_tags', { ...db, db_name: bdb.name, ...tags }, 1)
    e.put('db_memory_limit_bytes', db, bdb.memory_size)
    e.put('db_replication_factor', db, bdb.replication === true ? 2 : 1)
  }
}

const ZERO_COUNTERS = [
  'endpoint_client_connection_expired', 'endpoint_client_establishment_failures', 'endpoint_client_expiration_refresh',
  'endpoint_client_tracking_off_requests', 'endpoint_client_tracking_on_requests', 'endpoint_disconnected_cba_client',
  'endpoint_disconnected_ldap_client', 'endpoint_disconnected_user_password_client', 'endpoint_dispatch_failures',
  'endpoint_disposed_commands_after_client_caching', 'endpoint_egress_pending', 'endpoint_egress_pending_discarded',
  'endpoint_failed_cba_authentication', 'endpoint_failed_ldap_authentication', 'endpoint_failed_user_password_authentication',
  'endpoint_proxy_disconnections', 'endpoint_rate_limit_overflows', 'endpoint_successful_cba_authentication',
  'endpoint_successful_ldap_authentication', 'endpoint_maximal_connections_exceeded'
]

// each kind of request's sample keys, counter names and metric names, made once
const KINDS = (['read', 'write', 'other'] as const).map(kind => ({
  req: `${kind}_req`,
  res: `${kind}_res`,
  lat: `${kind}:lat`,
  avg: `avg_${kind}_latency`,
  requests: `endpoint_${kind}_requests`,
  responses: `endpoint_${kind}_responses`,
  histogram: `endpoint_${kind}_requests_latency_histogram`
}))

function endpoints (e: Emitter, c: Counters): void {
  const { scene } = e
  for (const ep of scene.endpoints) {
    const labels = e.labels({ cluster: scene.cluster, db: ep.bdb.uid, endpoint: ep.uid, node: ep.proxy, proxy: ep.proxy, port: ep.port }, ep.proxy)
    if (labels === undefined) continue
    const s = ep.sample
    const v = (k: string): number => Number(s[k] ?? 0)
    const g = c.group(`ep:${ep.uid}:${ep.proxy}:${ep.bdb.created_time}`)
    const view = scene.bdbByUid.get(ep.bdb.uid)
    const db = view?.sample ?? {}
    const lat = (k: string): number => Number(db[k] ?? 0) * 1e6
    const count = (name: string, rate: number): number => g.advance(name, rate, scene.now)
    for (const k of KINDS) {
      e.put(k.requests, labels, count(k.req, v(k.req)))
      e.put(k.responses, labels, count(k.res, v(k.res)))
      const h = g.observe(k.lat, LATENCY_BOUNDS_US, v(k.res), lat(k.avg), scene.now)
      e.histogram(k.histogram, labels, h, LATENCY_BOUNDS_US)
    }
    e.put('endpoint_total_started_res', labels, count('total_res', v('total_res')))
    e.put('endpoint_acc_latency', labels, count('acc_latency', v('total_res') * lat('avg_latency')))
    e.put('endpoint_ingress', labels, count('ingress', v('ingress_bytes')))
    e.put('endpoint_egress', labels, count('egress', v('egress_bytes')))
    const accepted = count('accepted', v('total_connections_received'))
    e.put('endpoint_accepted_connections', labels, accepted)
    e.put('endpoint_total_connections_received', labels, accepted)
    e.put('endpoint_connections_rate', labels, v('total_connections_received'))
    const conns = g.connections('conns:made', 'conns:closed', v('total_connections_received'), v('conns'), scene.now)
    e.put('endpoint_client_connections', labels, conns.made)
    e.put('endpoint_client_disconnections', labels, conns.closed)
    e.put('endpoint_successful_user_password_authentication', labels, conns.made)
    for (const name of ZERO_COUNTERS) e.put(name, labels, 0)
    e.put('endpoint_rate_limit_ok', labels, 1)
    e.put('endpoint_monitor_sessions_count', labels, Number(db.monitor_sessions_count ?? 0))
    const pipe = g.observe('pipeline', PIPELINE_BOUNDS, v('total_connections_received'), 1, scene.now)
    e.histogram('endpoint_longest_pipeline_histogram', labels, pipe, PIPELINE_BOUNDS)
    const monitor = view?.monitor
    const down = g.failing('ping', monitor?.unavailable === 'endpoint_unavailable', scene.now)
    const ping = e.labels({ cluster: scene.cluster, db: ep.bdb.uid, node: ep.proxy, endpoint_uid: ep.uid }, ep.proxy)
    e.put('endpoint_ping_failures', ping, monitor?.unavailable === 'endpoint_unavailable' ? down + 1 : 0)
    e.put('endpoint_ping_failure_duration_seconds', ping, down)
  }
}

// RS's syncer states (v2 page: 0 = in-sync, 1 = out of sync)
function syncers (e: Emitter, c: Counters): void {
  const { scene } = e
  for (const s of scene.syncs) {
    const type = s.kind === 'replica' ? 'replicaof' : 'crdt'
    const labels = e.labels({ cluster: scene.cluster, db: s.bdb.uid, syncer_type: type, source: s.source })
    if (labels === undefined) continue
    const inSync = s.status === 'in-sync'
    const connected = s.status !== 'out-of-sync' ? 1 : 0
    const key = `sync:${s.bdb.uid}:${s.bdb.created_time}:${type}:${s.source}`
    const ingress = c.advance(`${key}:in`, s.ingress, scene.now)
    e.put('database_syncer_config', labels, 1)
    e.put('database_syncer_current_status', labels, inSync ? 0 : 1)
    e.put('database_syncer_state', labels, inSync ? 0 : 1)
    e.put('database_syncer_internal_state', labels, inSync ? 0 : 1)
    e.put('database_syncer_lag_ms', labels, s.lagMs)
    e.put('database_syncer_dst_lag', labels, s.lagMs)
    e.put('database_syncer_src_connectivity_state', labels, connected)
    e.put('database_syncer_dst_connectivity_state', labels, connected)
    // how long the connectivity state has held: a key per state restarts the clock when it flips
    c.failing(`${key}:conn:${1 - connected}`, false, scene.now)
    const held = c.failing(`${key}:conn:${connected}`, true, scene.now) * 1000
    e.put('database_syncer_src_connectivity_state_ms', labels, held)
    e.put('database_syncer_dst_connectivity_state_ms', labels, held)
    e.put('database_syncer_ingress_bytes', labels, ingress)
    e.put('database_syncer_ingress_bytes_decompressed', labels, ingress * 10)
    e.put(`${type === 'crdt' ? 'crdt' : 'replica'}_src_ingress_bytes`, labels, ingress)
    e.put(`${type === 'crdt' ? 'crdt' : 'replica'}_src_ingress_bytes_decompressed`, labels, ingress * 10)
    for (const name of ['database_syncer_src_repl_offset', 'database_syncer_syncer_repl_offset', 'database_syncer_dst_repl_offset']) e.put(name, labels, ingress)
    for (const name of ['database_syncer_total_requests', 'database_syncer_total_responses']) e.put(name, labels, Math.round(ingress / 60))
    for (const name of ['database_syncer_flush_counter', 'database_syncer_rdb_size', 'database_syncer_rdb_transferred']) e.put(name, labels, 0)
  }
}

/** LAYOUT: the page's layout of the last scrape, reused while the series are the same (exposition.ts). */
export function renderV2 (scene: Scene, counters: Counters, options: V2Options = {}, layout?: Layout): Buffer {
  const out = new Exposition(layout)
  declareV2(out)
  const e = new Emitter(out, scene, options)
  nodes(e, counters)
  databases(e)
  endpoints(e, counters)
  syncers(e, counters)
  for (const s of scene.shards) shardSeries(e, counters, s)
  return out.bytes()
}
