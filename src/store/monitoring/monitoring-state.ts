// What a test sets on the cluster's health, load and alerts (src/store/health.ts drives it);
// kept apart so the state's type does not depend on the code that changes it.

export type Unavailability = 'shard_unreachable' | 'endpoint_unavailable'

/** One database's test-set health and load; a database without one is healthy and idle. */
export interface BdbMonitor {
  /** created_time of the database this belongs to: a later database reusing the uid starts clean */
  bdb_created: string
  unavailable: Unavailability | null
  /** replication/sync lag in ms, compared with availability_lag_tolerance_ms */
  lag_ms: number
  /** extra latency in ms on top of the base latency */
  latency_ms: number
  ops_per_sec: number
  no_of_keys: number
  /** metric name → value that replaces the computed one in every sample */
  metrics: Record<string, number>
  changed_at: string
}

export interface RaisedAlert { state: boolean, severity: string, change_time: string, change_value: Record<string, unknown> }

export interface BdbAlertSetting { enabled: boolean, threshold: string }

export interface MonitoringState {
  quorum: boolean
  bdbs: Map<number, BdbMonitor>
  /** "cluster::<name>", "node:<uid>:<name>", "bdb:<uid>:<name>" */
  alerts: Map<string, RaisedAlert>
  bdbAlertSettings: Map<number, { bdb_created: string, changed_at: string, settings: Record<string, BdbAlertSetting> }>
}

export const newMonitoringState = (): MonitoringState =>
  ({ quorum: true, bdbs: new Map(), alerts: new Map(), bdbAlertSettings: new Map() })

/** A deleted database takes what a test set on it along: a later database reusing its uid starts clean. */
export function dropBdbMonitoring (state: MonitoringState, uid: number): void {
  state.bdbs.delete(uid)
  state.bdbAlertSettings.delete(uid)
  const prefix = `bdb:${uid}:`
  for (const key of state.alerts.keys()) if (key.startsWith(prefix)) state.alerts.delete(key)
}
