// The data each domain keeps in the State, declared here so that the kernel's State names them
// without importing any domain: the domains import these shapes, never the other way round.
// The code that changes each slice lives in its domain (named beside each group).
type Json = Record<string, unknown>

// monitoring/monitoring-state.ts: what a test sets on the cluster's health, load and alerts.
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

// settings/: the settings objects written through the API (settings-defs.ts holds one definition
// per name, and its type checks that the two lists agree), processes, certificates, OCSP.
export type SettingName = 'cm_settings' | 'diagnostics' | 'job_scheduler' | 'metrics_config' |
  'services_configuration' | 'db_conns_auditing' | 'ocsp' | 'ldap' | 'sso'

export interface ServiceState { status: 'RUNNING' | 'STOPPED' | 'STARTING' | 'RESTARTING', start_time: string }

export interface Pem { certificate: string, key?: string }

export type CertStatus = 'GOOD' | 'REVOKED' | 'UNKNOWN'
export interface OcspResponder { responder_url?: string, cert_status: CertStatus, revocation_time?: string }
export interface OcspState { responder?: OcspResponder, status?: Json }

// access/ldap.ts: the mappings and the simulated directory's logins.
export type LdapMapping = Json & { uid: number, name: string, dn: string, role_uids: number[] }
export interface DirectoryEntry { salt: string, hash: string, groups: string[], email?: string }

// active-active/: the stored CRDBs and their tasks (the RS docs' crdb and crdb_task objects).
export interface CrdbCluster extends Json {
  name: string
  url: string
  credentials?: { username: string, password: string }
  replication_endpoint?: string
}
export interface CrdbInstance extends Json { id: number, cluster: CrdbCluster, compression: number, db_config: Json, db_uid: string }
export interface Crdb extends Json { guid: string, name: string, default_db_config: Json, instances: CrdbInstance[] }

export interface CrdbEntry {
  /** the CRDB with the clusters' credentials (never shown: see presentCrdb) */
  crdb: Crdb
  /** configuration version, bumped by each committed change */
  version: number
  /** the instance of this cluster */
  localId: number
  /** the member database on this cluster, once created */
  bdbUid: number | null
}

export type CrdbOp =
  | { kind: 'create', crdb: Crdb }
  | { kind: 'update', crdb: Crdb, added: number[], removed: CrdbInstance[], forceRemove: boolean }
  | { kind: 'delete' }
  | { kind: 'flush' }
  | { kind: 'purge' }
  | { kind: 'upgrade', body: Json }

export type TaskPhase = 'queued' | 'peers' | 'commit' | 'done'

export interface CrdbTaskEntry {
  /** the task as GET /v1/crdb_tasks/{id} shows it */
  task: Json & { id: string, crdb_guid: string, status: string }
  phase: TaskPhase
  op: CrdbOp
  /** X-Result-TTL: seconds an ended task stays readable (default 500, the docs' figure) */
  ttlSec: number
  endedMs?: number
}

// databases/operations-state.ts: what belongs to no RS object (the default user's passwords, the
// failures a test arranged, the module artifacts uploaded to this node).
export type DataOperation = 'export' | 'import' | 'backup'

/** What belongs to one database; `bdb_created` ties it to that database (a reused uid starts clean). */
export interface BdbOperations {
  bdb_created: string
  /** the default user's passwords (POST/PUT/DELETE /v1/bdbs/{uid}/passwords), oldest first */
  passwords?: string[]
  /** the failure reason the next run of each operation ends with (test control) */
  fail_next?: Partial<Record<DataOperation, string>>
}

export interface OperationsState {
  bdbs: Map<number, BdbOperations>
  /** module artifacts on this node: {module_name, version, semantic_version, dependencies, ...} */
  artifacts: Json[]
}
