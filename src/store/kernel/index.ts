// The state kernel: the State's shape (state.ts, and slices.ts for the data each domain keeps),
// the Core every part shares (clock, change counter, job queue, event log), the generic collection
// pieces and the in-place restore. It imports nothing from the domains.
export { checkUniqueName, commitDelete, commitWrite, leadingKeys, mustGet, nextUid, noUidsRetired, retireUid, sortKeys } from './collection.js'
export { Core, DEFAULT_TRANSITION_DELAY_MS, MAX_EVENT_TEXT, MAX_EVENTS } from './core.js'
export type { Timing } from './core.js'
export { Events, logFieldChanges } from './events.js'
export type { LogQuery } from './events.js'
export { newAjv } from './lazy-ajv.js'
export type { BdbAlertSetting, BdbMonitor, BdbOperations, CertStatus, Crdb, CrdbCluster, CrdbEntry, CrdbInstance, CrdbOp, CrdbTaskEntry, DataOperation, DirectoryEntry, LdapMapping, MonitoringState, OcspResponder, OcspState, OperationsState, Pem, RaisedAlert, ServiceState, SettingName, TaskPhase, Unavailability } from './slices.js'
export { isoSeconds, STATE_FORMAT, STATE_VERSION, systemClock } from './state.js'
export type { ActionRecord, Clock, Json, RemoteNode, Seed, State, StateDocument, UserRecord } from './state.js'
export { restoreInto } from './restore.js'
