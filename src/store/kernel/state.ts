// The fake cluster's whole state: plain data in the real wire format, owned by one store.
import type { Bdb } from '../../schemas/bdb.js'
import type {
  CrdbEntry, CrdbTaskEntry, DirectoryEntry, LdapMapping, MonitoringState, OcspState, OperationsState, Pem, ServiceState, SettingName
} from './slices.js'

export type Json = Record<string, unknown>

export interface UserRecord {
  /** the user as GET /v1/users/{uid} returns it */
  user: Json & { uid: number, email: string, role_uids?: number[], role?: string, status?: string }
  /** salted SHA-256 of the password; never serialized into a response */
  salt: string
  hash: string
  /** more active passwords (POST /v1/users/password); Basic auth accepts each */
  extraPasswords?: Array<{ salt: string, hash: string, sha256?: string }>
  /** unsalted SHA-256 of the password, as Redis ACLs take it (`#<hex>`); absent in older state files */
  sha256?: string
  /** login lockout (store/access/lockout.ts): failures in the current window and when the last one happened */
  failures?: number
  lastFailureMs?: number
  /** set while locked with a duration; a locked user without it waits for an admin */
  lockedUntilMs?: number
}

/** An async operation as /v1/actions and /v2/actions report it (rendered by store/databases/actions.ts). */
export interface ActionRecord {
  uid: string
  kind: 'state-machine' | 'task' | 'other'
  /** SMCreateBDB, SMUpdateBDB, ... (state machines) or flush_bdb, ... (tasks) */
  name: string
  /** "bdb:<uid>" */
  objectName: string
  bdbUid?: number
  nodeUid: string
  phase: 'queued' | 'running' | 'completed' | 'failed'
  /** 0-100 */
  progress: number
  /** the state machine's current step while running */
  step?: string
  createdMs: number
  heartbeatMs: number
}

export interface Seed {
  cluster: Json
  policy: Json
  license: Json | null
  bootstrap: Json
  nodes: Json[]
  bdbs: Bdb[]
  users: Array<Json & { password?: string }>
  roles: Json[]
  redisAcls: Json[]
  modules: Json[]
  /** optional: a fixture directory without proxies.json gets one default proxy per node */
  proxies?: Json[]
}

export interface State {
  clusterStateId: number
  inCluster: boolean
  cluster: Json
  policy: Json
  license: Json | null
  bootstrap: Json
  nodes: Map<number, Json & { uid: number }>
  bdbs: Map<number, Bdb>
  users: Map<number, UserRecord>
  roles: Map<number, Json & { uid: number, name: string, management: string }>
  redisAcls: Map<number, Json & { uid: number, name: string, acl: string }>
  modules: Json[]
  events: Json[]
  /** newest last; bounded (store/databases/actions.ts) */
  actions: ActionRecord[]
  proxies: Map<number, Json & { uid: number }>
  /** test-controlled health, load and raised alerts (src/store/monitoring/health.ts) */
  monitoring: MonitoringState
  /** settings objects written through the API (store/settings/settings.ts); absent ones read as their defaults */
  settings: Partial<Record<SettingName, Json>>
  /** processes stopped, started or switched since the cluster started (store/settings/services.ts) */
  serviceStates: Record<string, ServiceState>
  /** certificates set through the API, by name (store/settings/certificates.ts) */
  certificates: Record<string, Pem>
  /** /v1/ldap_mappings (store/access/ldap.ts) */
  ldapMappings: Map<number, LdapMapping>
  /** the logins the simulated LDAP directory accepts, set through the test-control API */
  ldapDirectory: Map<string, DirectoryEntry>
  /** the simulated OCSP responder and the last status cached (store/settings/ocsp.ts) */
  ocspState: OcspState
  /** Active-Active databases this cluster takes part in, by guid (src/store/active-active/crdbs.ts) */
  crdbs: Map<string, CrdbEntry>
  /** CRDB tasks by id, ended ones until their TTL passes (src/store/active-active/crdb-tasks.ts) */
  crdbTasks: Map<string, CrdbTaskEntry>
  /** passwords, arranged failures, module artifacts (src/store/databases/operations-state.ts); optional in a state document */
  operations: OperationsState
  /** the highest uid each kind had among deleted objects: never handed out again (optional in state files) */
  lastUids: Record<UidKind, number>
  /** the node that is master (optional in state files: the first node) */
  masterUid: number
  /** the last run of each cluster action, as GET /v1/cluster/actions shows it (optional in state files) */
  clusterActions: Json[]
  /** node actions, snapshots and the nodes in maintenance (optional in state files: none) */
  nodeOps: NodeOps
}

export interface NodeOps {
  /** the last run of each action per node: {name, node_uid, status, progress} */
  actions: Json[]
  /** {created_time, name, node_uid} plus the shards the node ran (`shards`, never shown) */
  snapshots: Array<Json & { name: string, node_uid: string, shards: number[] }>
  maintenance: number[]
  /** nodes cut off from the others by a test (docs/decisions.md #53); optional in state files */
  partitioned?: number[]
  /** nodes that joined from another process: their URL and the secret that tells them they left (#51) */
  remote?: RemoteNode[]
  /** set in a process that joined a cluster: its node uid there and the master's URL (#52) */
  member?: { uid: number, master_url: string, token: string }
}

export interface RemoteNode { uid: number, url: string, token: string }

export type UidKind = 'bdbs' | 'users' | 'roles' | 'redisAcls'

export interface Clock {
  now(): number
}

export const systemClock: Clock = { now: () => Date.now() }

/** ISO-8601 UTC without fractional seconds, as every RS timestamp. */
let lastSecond = NaN
let lastIso = ''
/** `2026-03-01T12:00:00Z`; the text of the last second asked is kept (events come in bursts). */
export const isoSeconds = (ms: number): string => {
  const second = Math.floor(ms / 1000)
  if (second !== lastSecond) {
    lastIso = new Date(second * 1000).toISOString().replace('.000Z', 'Z')
    lastSecond = second
  }
  return lastIso
}

export const STATE_FORMAT = 'redis-enterprise-mock/state'
export const STATE_VERSION = 1

/** The whole state as one JSON document (store/snapshot.ts writes and reads it; a joining node gets one). */
export interface StateDocument {
  format: typeof STATE_FORMAT
  version: typeof STATE_VERSION
  exported_at: string
  /** the State with every Map written as {"$map": [[key, value], ...]} */
  state: Record<string, unknown>
}
