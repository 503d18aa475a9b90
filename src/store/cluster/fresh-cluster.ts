// What a real cluster holds right after create_cluster (docs/rs-api-notes.md §3.2, docs/decisions.md #16-#17):
// the requested name, the local node with no shards, one admin, the trial license (unless a key
// was given), the default roles and Redis ACLs, the bundled modules, no databases.
import { passwordRecord } from '../access/index.js'
import { trialLicense } from '../settings/index.js'
import { noUidsRetired, type Json, type Seed, type State, type UserRecord } from '../kernel/index.js'

// docs/decisions.md #17: the defaults a 2021-era cluster shipped (no User Manager role).
export const DEFAULT_ROLES = [
  { uid: 1, name: 'Admin', management: 'admin' },
  { uid: 2, name: 'Cluster Member', management: 'cluster_member' },
  { uid: 3, name: 'Cluster Viewer', management: 'cluster_viewer' },
  { uid: 4, name: 'DB Member', management: 'db_member' },
  { uid: 5, name: 'DB Viewer', management: 'db_viewer' },
  { uid: 6, name: 'None', management: 'none' }
] as const

export const DEFAULT_REDIS_ACLS = [
  { uid: 1, name: 'Full Access', acl: '+@all ~*' },
  { uid: 2, name: 'Read Only', acl: '+@read ~*' },
  { uid: 3, name: 'Not Dangerous', acl: '+@all -@dangerous ~*' }
] as const

export interface CreateClusterRequest {
  clusterName: string
  username: string
  password: string
  /** an installed license object, when the request carried a key */
  license?: Json
  policy?: Json
  addr?: string
}

/** Replaces everything a client can see with a fresh one-node cluster. */
export function installFreshCluster (state: State, seed: Seed, req: CreateClusterRequest, now: number, iso: string): void {
  const s = structuredClone(seed)
  state.cluster = { ...s.cluster, name: req.clusterName, created_time: iso }
  state.policy = { ...s.policy, ...(req.policy ?? {}) }
  state.license = req.license ?? trialLicense(now)
  state.license.ram_shards_in_use = 0
  const node = s.nodes[0] as Json & { uid: number }
  // A node counts its uptime from the bootstrap (the store's upSinceMs restarts with it).
  Object.assign(node, { uid: 1, status: 'active', shard_list: [], shard_count: 0, ram_shard_count: 0, flash_shard_count: 0, uptime: 0 })
  if (req.addr !== undefined) node.addr = req.addr
  state.nodes = new Map([[1, node]])
  state.bdbs = new Map()
  // The bootstrap username is the login (an email); the display name is "Administrator".
  const admin: UserRecord['user'] = {
    auth_method: 'regular',
    certificate_subject_line: '',
    email: req.username,
    email_alerts: true,
    name: 'Administrator',
    password_issue_date: iso,
    role: 'admin',
    role_uids: [1],
    status: 'active',
    uid: 1
  }
  state.users = new Map([[1, { user: admin, ...passwordRecord(req.password) }]])
  state.roles = new Map(DEFAULT_ROLES.map(r => [r.uid, { ...r }]))
  state.redisAcls = new Map(DEFAULT_REDIS_ACLS.map(a => [a.uid, { ...a }]))
  state.modules = s.modules
  state.events = []
  state.actions = []
  state.lastUids = noUidsRetired()
}
