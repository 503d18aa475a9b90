// What a test sets on the cluster's health, load and alerts (src/store/monitoring/health.ts drives it);
// the shapes are declared in kernel/slices.ts, so the state's type does not depend on this code.

import type { MonitoringState } from '../kernel/index.js'

export type { BdbAlertSetting, BdbMonitor, MonitoringState, RaisedAlert, Unavailability } from '../kernel/index.js'

export const newMonitoringState = (): MonitoringState =>
  ({ quorum: true, bdbs: new Map(), alerts: new Map(), bdbAlertSettings: new Map() })

/** A deleted database takes what a test set on it along: a later database reusing its uid starts clean. */
export function dropBdbMonitoring (state: MonitoringState, uid: number): void {
  state.bdbs.delete(uid)
  state.bdbAlertSettings.delete(uid)
  const prefix = `bdb:${uid}:`
  for (const key of state.alerts.keys()) if (key.startsWith(prefix)) state.alerts.delete(key)
}
