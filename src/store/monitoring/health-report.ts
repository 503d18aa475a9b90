// GET /v4/cluster/health: the OpenAPI spec's ClusterHealthReport (the only description of it;
// docs/decisions.md #60), made from the state every other answer reads: the license, the
// certificates, the nodes with their shards, the raised alerts and the databases.
import { X509Certificate } from 'node:crypto'
import type { Bdb } from '../../schemas/bdb.js'
import type { State, Json } from '../kernel/index.js'

type Level = 'ok' | 'warning' | 'error'

const num = (v: unknown): number => typeof v === 'number' ? v : 0

/** Raised alerts, `scope:uid:` prefix → those of one node, one database or the cluster. */
function alertsOf (state: State, prefix: string): Json[] {
  return [...state.monitoring.alerts.entries()]
    .filter(([key, a]) => a.state && key.startsWith(prefix))
    .map(([key, a]) => ({ name: key.slice(key.lastIndexOf(':') + 1), active_since: a.change_time, severity: a.severity }))
}

function databaseInfo (state: State, bdb: Bdb): Json {
  const unavailable = state.monitoring.bdbs.get(bdb.uid)?.unavailable
  const down = bdb.status === 'recovery' || bdb.status === 'creation-failed' || (unavailable !== null && unavailable !== undefined)
  return {
    id: String(bdb.uid),
    name: bdb.name,
    status: down ? 'down' : bdb.status === 'active' ? 'active' : 'warning',
    detailed_status: bdb.status,
    version: String(bdb.version ?? bdb.redis_version ?? ''),
    high_availability: { status: bdb.replication ? (down ? 'down' : 'up') : 'disabled' }
  }
}

function certificates (state: State, now: number): Json[] {
  return Object.entries(state.certificates).flatMap(([type, pem]) => {
    try {
      const until = Date.parse(new X509Certificate(pem.certificate).validTo)
      return [{ type, expired: until < now, valid_until: new Date(until).toISOString() }]
    } catch {
      return []
    }
  })
}

/** SHARDS: the presented shards (GET /v1/shards); MASTER: the master node's uid. */
export function clusterHealthReport (state: State, shards: Json[], master: number, now: number): Json {
  const lic = (state.license ?? {}) as Json
  const ramInUse = shards.length
  const nodes = [...state.nodes.values()].sort((a, b) => a.uid - b.uid).map(node => {
    const total = num(node.total_memory)
    const down = node.status !== 'active'
    const mine = shards.filter(s => s.node_uid === String(node.uid))
    return {
      id: String(node.uid),
      status: down ? 'down' : alertsOf(state, `node:${node.uid}:`).length > 0 ? 'warning' : 'active',
      detailed_status: down ? 'down' : 'active',
      role: node.uid === master ? 'leader' : 'follower',
      version: String(node.software_version ?? ''),
      shards: mine.map(s => ({ id: String(s.uid), role: s.role === 'master' ? 'leader' : 'follower', status: s.status, detailed_status: s.detailed_status })),
      memory: { total_ram: total, free_ram: total, free_provisional_ram: total, total_provisional_ram: total, overbooking_depth: total },
      observed_at: Math.floor(now / 1000),
      services: [],
      ephemeral_memory_path: String(node.ephemeral_storage_path ?? ''),
      ephemeral_memory_size: num(node.ephemeral_storage_size),
      persistent_memory_path: String(node.persistent_storage_path ?? ''),
      persistent_memory_size: num(node.persistent_storage_size),
      quorum_only: node.accept_servers === false,
      in_maintenance: node.maintenance_mode === true,
      active_alerts: alertsOf(state, `node:${node.uid}:`)
    }
  })
  const databases = [...state.bdbs.values()].sort((a, b) => a.uid - b.uid).map(b => databaseInfo(state, b))
  const activeAlerts = alertsOf(state, '')
  const status: Level = nodes.some(n => n.status === 'down') || databases.some(d => d.status === 'down')
    ? 'error'
    : activeAlerts.length > 0 || lic.expired === true ? 'warning' : 'ok'
  return {
    fqdn: String(state.cluster.name),
    status,
    license: {
      expired: lic.expired === true,
      shards_in_use: ramInUse,
      ram_shards_in_use: ramInUse,
      flex_shards_in_use: num(lic.flash_shards_in_use),
      shards_limit: num(lic.shards_limit),
      ram_shards_limit: num(lic.ram_shards_limit ?? lic.shards_limit),
      flex_shards_limit: num(lic.flash_shards_limit),
      valid_until: String(lic.expiration_date ?? '')
    },
    certificates: certificates(state, now),
    nodes,
    active_alerts: activeAlerts,
    database_infos: databases
  }
}
