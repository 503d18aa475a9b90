// Replication between databases: a database's replica_sources (Replica Of) and crdt_sources
// (Active-Active peers), the syncer state and the per-source statistics (docs/rs-api-notes.md §4,
// §5.14). Sources are normalized when a database is written and
// reach `in-sync` (or `out-of-sync`) when the write settles (docs/decisions.md #37).
import type { Bdb } from '../../schemas/bdb.js'
import { bdbNotFound, invalidSchema, notCrdb, peerNotFound, syncSourceNotFound, syncerStateNotFound } from '../../base/errors.js'
import { mustGet, sortKeys, type Core, type Json, type State } from '../kernel/index.js'
import { noise, r3, select, timeSeries, type Health, type StatSource, type StatsQuery, type TimeSeries } from '../monitoring/index.js'

export type SourceKind = 'replica' | 'crdt'
export type SyncSource = Json & { uid: number, uri: string, status: string, lag: number, last_error: string }

const FIELD = { replica: 'replica_sources', crdt: 'crdt_sources' } as const
const SYNC = { replica: 'replica_sync', crdt: 'crdt_sync' } as const
// redis://[user:password@]host:port[/]; rediss:// with TLS
const URI = /^rediss?:\/\/(?:[^@/\s]*@)?(\[[0-9a-fA-F:]+\]|[^:/@\s]+):(\d{1,5})\/?$/

export const sourcesOf = (bdb: Bdb, kind: SourceKind): SyncSource[] => (bdb[FIELD[kind]] ?? []) as SyncSource[]

/**
 * Fills the read-back fields of the sources a create or update body set (uid, status, lag, ...),
 * and turns the sync on or off with them unless the body said. Unchanged sources keep their state.
 */
export function prepareSources (bdb: Bdb, body: Json, old: Bdb | undefined, now: string): void {
  for (const kind of ['replica', 'crdt'] as const) {
    const given = body[FIELD[kind]]
    if (!Array.isArray(given)) continue
    const before = new Map((old === undefined ? [] : sourcesOf(old, kind)).map(s => [s.uid, s]))
    const used = new Set<number>()
    let next = Math.max(0, ...given.map(s => Number((s as Json).uid ?? 0)))
    bdb[FIELD[kind]] = given.map((raw, i) => {
      const s = raw as Json
      const uri = String(s.uri ?? '')
      if (!URI.test(uri)) throw invalidSchema(`${FIELD[kind]}[${i}].uri must be a redis:// or rediss:// URI with a host and a port, not '${uri}'`)
      const uid = s.uid === undefined ? ++next : Number(s.uid)
      if (used.has(uid)) throw invalidSchema(`${FIELD[kind]}[${i}].uid ${uid} is used by another source`)
      used.add(uid)
      const prev = before.get(uid)
      const same = prev !== undefined && prev.uri === uri
      return sortKeys({
        compression: 0,
        encryption: false,
        ...s,
        uid,
        uri,
        status: same ? prev.status : 'syncing',
        lag: same ? prev.lag : 0,
        last_error: same ? prev.last_error : '',
        last_update: same ? prev.last_update : now,
        rdb_size: same ? prev.rdb_size : 0,
        rdb_transferred: same ? prev.rdb_transferred : 0
      }) as SyncSource
    })
    if (body[SYNC[kind]] === undefined) bdb[SYNC[kind]] = given.length > 0 ? 'enabled' : 'disabled'
  }
}

/** Where a source URI leads on this cluster: a database, `unbound` (a local name, no database on the port) or `remote`. */
function resolve (state: State, uri: string): Bdb | 'unbound' | 'remote' {
  const [, host, port] = URI.exec(uri) ?? []
  const local = new Set(['localhost', '127.0.0.1', '[::1]', String(state.cluster.name)])
  for (const n of state.nodes.values()) for (const a of [n.addr, ...(n.external_addr as unknown[] ?? [])]) local.add(String(a))
  let onPort: Bdb | undefined
  for (const b of state.bdbs.values()) {
    for (const ep of b.endpoints ?? []) {
      if (ep.port === Number(port)) onPort = b
      local.add(ep.dns_name)
      for (const a of ep.addr) local.add(a)
    }
  }
  if (!local.has(host) && !host.endsWith(`.${String(state.cluster.name)}`)) return 'remote'
  return onPort ?? 'unbound'
}

/** The write settled: syncing sources of an enabled sync are in sync, or out of sync when nothing answers. */
export function settleSources (state: State, bdb: Bdb, now: string): void {
  for (const kind of ['replica', 'crdt'] as const) {
    if (bdb[SYNC[kind]] !== 'enabled') continue
    for (const s of sourcesOf(bdb, kind)) {
      if (s.status !== 'syncing') continue
      const target = resolve(state, s.uri)
      const refused = target === 'unbound' || (typeof target === 'object' && target.uid === bdb.uid)
      s.status = refused ? 'out-of-sync' : 'in-sync'
      s.last_error = refused ? `Failed to connect to ${s.uri.replace(/\/\/[^@]*@/, '//')}: connection refused` : ''
      s.last_update = now
    }
  }
}

/** A peer of an Active-Active member: another instance of its CRDB (crdbs.ts keeps them). */
export interface Peer { id: number, name: string }

export class Replication {
  /** the Active-Active peers of a member database; set by the CRDB part of the store */
  peersOf: (bdb: Bdb) => Peer[] = () => []

  constructor (private readonly core: Core, private readonly health: Health) {}

  private bdb (uid: number): Bdb { return mustGet(this.core.state.bdbs, uid, bdbNotFound) }

  /** GET /v1/bdbs/{uid}/syncer_state[/crdt|/replica]: the syncer's own JSON (key names as the docs' example). */
  syncerState (uid: number, kind: SourceKind): Json {
    const bdb = this.bdb(uid)
    const sources = sourcesOf(bdb, kind)
    if (bdb[SYNC[kind]] === 'disabled' || sources.length === 0) throw syncerStateNotFound(uid, kind)
    return {
      DB: bdb.uid,
      RunID: Math.floor((Date.parse(bdb.last_changed_time) || 0) / 1000),
      Type: kind,
      Sync: bdb[SYNC[kind]],
      Sources: sources.map(s => ({
        ID: s.uid,
        URI: s.uri.replace(/\/\/[^@]*@/, '//'),
        Status: s.status,
        Lag: this.lagMs(bdb, s),
        LastError: s.last_error,
        LastUpdate: s.last_update
      }))
    }
  }

  /** A source's lag: the test-set lag of the database (health) while the source is in sync. */
  lagMs (bdb: Bdb, s: SyncSource): number {
    return s.status === 'in-sync' ? Math.max(Number(s.lag ?? 0), this.health.monitor(bdb).lag_ms) : Number(s.lag ?? 0)
  }

  private linkSource (bdb: Bdb, uid: string, peer: boolean, lagMs: number): StatSource {
    const ops = this.health.monitor(bdb).ops_per_sec
    return {
      uid,
      since: Date.parse(bdb.created_time) || 0,
      quiet: false,
      metrics: (start, len) => {
        const bytes = Math.round(ops * 60 * (len / 1000) * (0.8 + 0.4 * noise(bdb.uid, uid, 'in', start)))
        const m: Record<string, number> = {
          ingress_bytes: bytes,
          ingress_bytes_decompressed: bytes * 10,
          local_ingress_lag_time: r3(lagMs / 1000 + 0.2 * noise(bdb.uid, uid, 'lag', start))
        }
        if (peer) {
          const out = Math.round(ops * 60 * (len / 1000) * (0.8 + 0.4 * noise(bdb.uid, uid, 'out', start)))
          Object.assign(m, { egress_bytes: out, egress_bytes_decompressed: out * 10, pending_local_writes_max: 0, pending_local_writes_min: 0 })
        }
        return m
      }
    }
  }

  private replicaSources (uid: number): { bdb: Bdb, sources: StatSource[] } {
    const bdb = this.bdb(uid)
    const all = [...sourcesOf(bdb, 'replica'), ...sourcesOf(bdb, 'crdt')]
    return { bdb, sources: all.map(s => this.linkSource(bdb, String(s.uid), false, this.lagMs(bdb, s))) }
  }

  /** GET /v1/bdbs/{uid}/sync_source_stats */
  syncSourceStats (uid: number, q: StatsQuery): { sync_source_stats: TimeSeries[] } {
    const sel = select(q)
    return { sync_source_stats: this.replicaSources(uid).sources.map(s => timeSeries(s, sel, this.core.now())) }
  }

  /** GET /v1/bdbs/{uid}/sync_source_stats/{source uid} */
  syncSourceStat (uid: number, source: number, q: StatsQuery): TimeSeries {
    const found = this.replicaSources(uid).sources.find(s => s.uid === String(source))
    if (found === undefined) throw syncSourceNotFound(source)
    return timeSeries(found, select(q), this.core.now())
  }

  private peers (uid: number): StatSource[] {
    const bdb = this.bdb(uid)
    if (bdb.crdt !== true) throw notCrdb(uid)
    const lag = this.health.monitor(bdb).lag_ms
    return this.peersOf(bdb).map(p => this.linkSource(bdb, String(p.id), true, lag))
  }

  /** GET /v1/bdbs/{uid}/peer_stats */
  peerStats (uid: number, q: StatsQuery): { peer_stats: TimeSeries[] } {
    const sel = select(q)
    return { peer_stats: this.peers(uid).map(s => timeSeries(s, sel, this.core.now())) }
  }

  /** GET /v1/bdbs/{uid}/peer_stats/{instance id} */
  peerStat (uid: number, peer: number, q: StatsQuery): TimeSeries {
    const found = this.peers(uid).find(s => s.uid === String(peer))
    if (found === undefined) throw peerNotFound(peer)
    return timeSeries(found, select(q), this.core.now())
  }
}
