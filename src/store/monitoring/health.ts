// What a test makes of a database's health and load (unavailable, lagging, slow, busy), the
// cluster's quorum, and the availability checks that read them: /v1/bdbs/{uid}/availability,
// /v1/local/bdbs/{uid}/endpoint/availability and the /v4 health routes (docs/rs-api-notes.md §2.4, §1).
import type { Bdb } from '../../schemas/bdb.js'
import {
  badRequest, bdbEndpointUnavailable, bdbLagExceedsTolerance, bdbNotActive, bdbNotFound,
  bdbUnavailablePortUnbound, bdbUnavailableShardUnreachable, invalidParam, noQuorum
} from '../../base/errors.js'
import { mustGet, type Core } from '../kernel/index.js'
import { bdbMetrics } from './stats-model.js'
import { hasQuorum, masterUnreachable } from '../topology/index.js'
import type { BdbMonitor, Unavailability } from './monitoring-state.js'

export type { Unavailability, BdbMonitor, RaisedAlert, BdbAlertSetting, MonitoringState } from './monitoring-state.js'
export { newMonitoringState } from './monitoring-state.js'

export interface HealthUpdate { unavailable?: Unavailability | null, lag_ms?: number, latency_ms?: number }
export interface LoadUpdate { ops_per_sec?: number, no_of_keys?: number, metrics?: Record<string, number | null> }

// Statuses in which a database serves traffic; others (pending, delete-pending, ...) do not.
const SERVING = new Set(['active', 'active-change-pending', 'import-pending'])
export const isServing = (bdb: Bdb): boolean => SERVING.has(bdb.status)

export interface AvailabilityQuery { extend_check?: string, availability_lag_tolerance_ms?: string }

export class Health {
  constructor (private readonly core: Core) {}

  private bdb (uid: number): Bdb { return mustGet(this.core.state.bdbs, uid, bdbNotFound) }

  /** The database's monitor, or the idle healthy default (not stored). */
  monitor (bdb: Bdb): BdbMonitor {
    const m = this.core.state.monitoring.bdbs.get(bdb.uid)
    if (m !== undefined && m.bdb_created === bdb.created_time) return m
    return {
      bdb_created: bdb.created_time, unavailable: null, lag_ms: 0, latency_ms: 0, ops_per_sec: 0, no_of_keys: 0,
      metrics: {}, changed_at: bdb.created_time
    }
  }

  private update (uid: number, change: (m: BdbMonitor, bdb: Bdb) => void): BdbMonitor {
    const bdb = this.bdb(uid)
    const m = structuredClone(this.monitor(bdb))
    change(m, bdb)
    m.changed_at = this.core.nowIso()
    this.core.state.monitoring.bdbs.set(uid, m)
    this.core.changed()
    return m
  }

  setHealth (uid: number, h: HealthUpdate): BdbMonitor {
    return this.update(uid, m => {
      if (h.unavailable !== undefined) m.unavailable = h.unavailable
      if (h.lag_ms !== undefined) m.lag_ms = h.lag_ms
      if (h.latency_ms !== undefined) m.latency_ms = h.latency_ms
    })
  }

  setLoad (uid: number, l: LoadUpdate): BdbMonitor {
    return this.update(uid, (m, bdb) => {
      // used_memory must stay within memory_size (checked before anything changes)
      const mem = l.metrics?.used_memory
      if (typeof mem === 'number' && mem > bdb.memory_size) {
        throw badRequest(`used_memory ${mem} is above the database's memory_size ${bdb.memory_size}`)
      }
      const known = Object.keys(bdbMetrics(bdb, { ...m, ops_per_sec: 1 }, 0, 1000))
      const unknown = Object.keys(l.metrics ?? {}).find(k => !known.includes(k) || k.endsWith('_time'))
      if (unknown !== undefined) throw badRequest(`'${unknown}' is not a numeric database metric; known: ${known.filter(k => !k.endsWith('_time')).join(', ')}`)
      if (l.ops_per_sec !== undefined) m.ops_per_sec = l.ops_per_sec
      if (l.no_of_keys !== undefined) m.no_of_keys = l.no_of_keys
      for (const [k, v] of Object.entries(l.metrics ?? {})) {
        if (v === null) delete m.metrics[k]
        else m.metrics[k] = v
      }
    })
  }

  /** Back to healthy and idle, overrides dropped. */
  clear (uid: number): BdbMonitor {
    const bdb = this.bdb(uid)
    this.core.state.monitoring.bdbs.delete(uid)
    this.core.changed()
    return this.monitor(bdb)
  }

  /** The test's switch, and a majority of the nodes up (docs/multi-node.md). */
  get quorum (): boolean { return this.core.state.monitoring.quorum && hasQuorum(this.core.state) }

  setQuorum (quorum: boolean): void {
    if (this.core.state.monitoring.quorum === quorum) return
    this.core.state.monitoring.quorum = quorum
    this.core.changed()
  }

  /** GET /v1/bdbs/{uid}/availability: throws the 503 that explains why it is not available. */
  checkBdb (uid: number, q: AvailabilityQuery = {}): void {
    const bdb = this.bdb(uid)
    if (!this.quorum) throw noQuorum()
    const m = this.monitor(bdb)
    // its redis-server down (docs/decisions.md #47, #59): the shard is what is missing
    if (bdb.status === 'recovery' && m.unavailable === 'shard_unreachable') throw bdbUnavailableShardUnreachable(uid)
    if (!isServing(bdb)) throw bdbNotActive(uid, bdb.status, 503)
    if (m.unavailable === 'shard_unreachable' || masterUnreachable(this.core.state, bdb)) throw bdbUnavailableShardUnreachable(uid)
    if (m.unavailable === 'endpoint_unavailable') throw bdbEndpointUnavailable(uid)
    // docs/decisions.md #43: stop_traffic unbinds the endpoint's port
    if (bdb.traffic_manually_disabled === true) throw bdbUnavailablePortUnbound(uid)
    if (q.extend_check === undefined) return
    if (q.extend_check !== 'lag') throw invalidParam(`Unknown extend_check '${q.extend_check}': the only check is 'lag'`)
    const tolerance = this.tolerance(q.availability_lag_tolerance_ms)
    if (m.lag_ms > tolerance) throw bdbLagExceedsTolerance(uid, m.lag_ms, tolerance)
  }

  /** GET /v1/local/bdbs/{uid}/endpoint/availability: only this node's proxy endpoint matters. */
  checkLocalEndpoint (uid: number): void {
    const bdb = this.bdb(uid)
    if (!this.quorum) throw noQuorum()
    if (!isServing(bdb)) throw bdbNotActive(uid, bdb.status, 503)
    if (this.monitor(bdb).unavailable === 'endpoint_unavailable' || bdb.traffic_manually_disabled === true) throw bdbEndpointUnavailable(uid)
  }

  checkCluster (): void {
    if (!this.quorum) throw noQuorum()
  }

  private tolerance (raw: string | undefined): number {
    if (raw === undefined) {
      const configured = this.core.state.cluster.availability_lag_tolerance_ms
      return typeof configured === 'number' ? configured : 100
    }
    if (!/^\d+$/.test(raw)) throw invalidParam(`availability_lag_tolerance_ms must be a non-negative integer, not '${raw}'`)
    return Number(raw)
  }
}
