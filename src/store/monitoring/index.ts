// What the cluster reports about itself: statistics (/v1/*/stats), alerts, and the health and load
// a test sets. Above the kernel, settings and topology.
export { Alerts, bdbAlertNames } from './alerts.js'
export type { Alert } from './alerts.js'
export { Health, newMonitoringState } from './health.js'
export { clusterHealthReport } from './health-report.js'
export type { AvailabilityQuery, BdbMonitor, HealthUpdate, LoadUpdate } from './health.js'
export { dropBdbMonitoring } from './monitoring-state.js'
export { intervalNames, Stats } from './stats.js'
export type { CurrentSamples } from './stats.js'
export { noise, r3, select, timeSeries } from './stats-series.js'
export type { Metrics, StatSource, StatsQuery, TimeSeries } from './stats-series.js'
