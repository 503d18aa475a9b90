// What one scrape reports, read from the store's facade once: the cluster's nodes, databases,
// shards, endpoints and sync sources (the objects the REST API lists), each with the sample the
// stats routes give for the same second. The v1 and v2 renderers both draw from it.
import { X509Certificate } from 'node:crypto'
import type { Bdb } from '../schemas/bdb.js'
import type { BdbMonitor, Json, Metrics, Store } from '../store/index.js'

/** A database's INFO totals from its real redis-server (--redis), when there is one. */
export interface LiveTotals {
  hits: number, misses: number, evicted: number, expired: number, commands: number,
  connectionsReceived: number, netIn: number, netOut: number, usedMemory: number, keys: number, expires: number, clients: number
}

export interface NodeView { uid: number, node: Json, up: boolean, sample?: Metrics }
export interface ShardView { uid: number, bdb: Bdb, master: boolean, nodeUid: number, up: boolean, sample?: Metrics }
export interface EndpointView { uid: string, bdb: Bdb, proxy: number, port: number, sample: Metrics }
export interface SyncView { bdb: Bdb, kind: 'replica' | 'crdt', source: number, status: string, lagMs: number, ingress: number }
export interface BdbView { bdb: Bdb, monitor: BdbMonitor, sample?: Metrics, live?: LiveTotals }

export interface Scene {
  now: number
  cluster: string
  master: number
  quorum: boolean
  generation: number
  users: number
  license: Json | undefined
  certExpiry: number | undefined
  nodes: NodeView[]
  bdbs: BdbView[]
  /** by database uid: its view and its shards */
  bdbByUid: Map<number, BdbView>
  shardsByBdb: Map<number, ShardView[]>
  shards: ShardView[]
  endpoints: EndpointView[]
  syncs: SyncView[]
}

const SYNC_KINDS = [['replica', 'replica_sync'], ['crdt', 'crdt_sync']] as const

// the certificate's end of validity (ms; undefined: unreadable), parsed once per certificate, not per scrape
let parsed: { pem: string, validTo: number | undefined } | undefined

function certExpiry (pem: string, now: number): number | undefined {
  if (pem === '') return undefined
  if (parsed?.pem !== pem) {
    let validTo: number | undefined
    try { validTo = Date.parse(new X509Certificate(pem).validTo) } catch { validTo = undefined }
    parsed = { pem, validTo }
  }
  return parsed.validTo === undefined ? undefined : Math.round((parsed.validTo - now) / 1000)
}

function syncs (store: Store, bdb: Bdb): SyncView[] {
  const out: SyncView[] = []
  for (const [kind, field] of SYNC_KINDS) {
    if (bdb[field] !== 'enabled') continue
    let state: Json
    try {
      state = store.replication.syncerState(bdb.uid, kind)
    } catch {
      continue // no sources: no syncer, as GET .../syncer_state answers 404
    }
    const sources = state.Sources as Array<{ ID: number, Status: string, Lag: number }>
    const stats = sources.length === 0 ? [] : store.replication.syncSourceStats(bdb.uid, { interval: '1sec' }).sync_source_stats
    for (const s of sources) {
      const last = stats.find(t => t.uid === String(s.ID))?.intervals.at(-1)
      out.push({ bdb, kind, source: s.ID, status: s.Status, lagMs: s.Lag, ingress: Number(last?.ingress_bytes ?? 0) })
    }
  }
  return out
}

/** The scene now; `live` gives a database's real INFO totals with --redis. */
export function readScene (store: Store, pem: string | undefined, live?: (uid: number) => LiveTotals | undefined): Scene {
  const now = store.now()
  const current = store.stats.current()
  const state = store.state
  const partitioned = (uid: number): boolean => store.master.partitioned(uid)
  const nodes: NodeView[] = [...state.nodes.values()].sort((a, b) => a.uid - b.uid).map(node => ({
    uid: node.uid,
    node,
    up: (node.status ?? 'active') === 'active' && !partitioned(node.uid),
    sample: current.nodes.get(node.uid)
  }))
  const nodeUp = new Map(nodes.map(n => [n.uid, n.up]))
  const bdbs: BdbView[] = store.bdbs.list().map(bdb => ({ bdb, monitor: store.health.monitor(bdb), sample: current.bdbs.get(bdb.uid), live: live?.(bdb.uid) }))
  const shards: ShardView[] = []
  const shardsByBdb = new Map<number, ShardView[]>()
  for (const { bdb, monitor, sample } of bdbs) {
    const placed = current.placed.byBdb.get(bdb.uid) ?? []
    const own: ShardView[] = []
    for (const p of placed) {
      const up = sample !== undefined && bdb.status !== 'recovery' && nodeUp.get(p.nodeUid) !== false && monitor.unavailable !== 'shard_unreachable'
      own.push({ uid: p.uid, bdb, master: p.master, nodeUid: p.nodeUid, up, sample: current.shards.get(p.uid) })
    }
    shards.push(...own)
    shardsByBdb.set(bdb.uid, own)
  }
  const endpoints: EndpointView[] = current.endpoints
  let license: Json | undefined
  try { license = store.cluster.license() } catch { license = undefined }
  return {
    now,
    cluster: String(state.cluster.name ?? ''),
    master: store.master.uid,
    quorum: store.health.quorum,
    generation: store.clusterStateId,
    users: state.users.size,
    license,
    certExpiry: certExpiry(pem ?? String(store.certificates.list().api_cert ?? '') ?? undefined, now),
    nodes,
    bdbs,
    bdbByUid: new Map(bdbs.map(b => [b.bdb.uid, b])),
    shardsByBdb,
    shards: shards.sort((a, b) => a.uid - b.uid),
    endpoints,
    syncs: bdbs.filter(b => b.sample !== undefined).flatMap(b => syncs(store, b.bdb))
  }
}
