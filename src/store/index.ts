// The store: all state and every business rule of the fake cluster. No fastify here;
// routes call it, it throws ApiErrors, and one handler renders them.
import type { Bdb } from '../schemas/bdb.js'
import { bdbNotFound, unauthorized } from '../errors.js'
import { hashPassword, verifyPassword, dummyCredential } from './passwords.js'
import { systemClock, type Clock, type Json, type Seed, type State, type UserRecord } from './state.js'

export type { Clock, Json, Seed, State, UserRecord } from './state.js'
export { isoSeconds, systemClock } from './state.js'

export interface StoreOptions {
  /** start as a node that has not joined a cluster yet */
  freshNode?: boolean
  /** replaces the login and password of user uid 1 */
  admin?: { email?: string, password?: string }
  clock?: Clock
}

function stateFromSeed (seed: Seed, options: StoreOptions): State {
  const s = structuredClone(seed)
  const users = new Map<number, UserRecord>()
  for (const { password, ...user } of s.users) {
    const u = user as UserRecord['user']
    if (u.uid === 1 && options.admin?.email !== undefined) u.email = options.admin.email
    const pw = u.uid === 1 && options.admin?.password !== undefined ? options.admin.password : password ?? ''
    users.set(u.uid, { user: u, ...hashPassword(pw) })
  }
  const byUid = <T extends { uid: number }>(items: unknown[]) =>
    new Map((items as T[]).map(i => [i.uid, i] as const))
  return {
    clusterStateId: 1,
    inCluster: options.freshNode !== true,
    cluster: s.cluster,
    policy: s.policy,
    license: s.license,
    // A fresh node has no cluster yet: bootstrap is idle and only the local node is known.
    bootstrap: options.freshNode === true
      ? { bootstrap_status: { state: 'idle' }, local_node_info: s.bootstrap.local_node_info }
      : s.bootstrap,
    nodes: byUid(s.nodes),
    bdbs: byUid(s.bdbs),
    users,
    roles: byUid(s.roles),
    redisAcls: byUid(s.redisAcls),
    modules: s.modules,
    events: []
  }
}

export class Store {
  readonly state: State
  readonly clock: Clock

  constructor (seed: Seed, options: StoreOptions = {}) {
    this.clock = options.clock ?? systemClock
    this.state = stateFromSeed(seed, options)
  }

  get clusterStateId (): number { return this.state.clusterStateId }
  get inCluster (): boolean { return this.state.inCluster }

  /** Every state change goes through here: real RS bumps cluster-state-id on each. */
  changed (): void { this.state.clusterStateId++ }

  bootstrapStatus (): Json { return this.state.bootstrap }

  listBdbs (): Bdb[] { return [...this.state.bdbs.values()] }

  getBdb (uid: number): Bdb {
    const bdb = this.state.bdbs.get(uid)
    if (bdb === undefined) throw bdbNotFound(uid)
    return bdb
  }

  /** The same answer, after the same work, for an unknown login and a wrong password. */
  authenticate (email: string, password: string): UserRecord {
    let found: UserRecord | undefined
    for (const r of this.state.users.values()) if (r.user.email === email) found = r
    const cred = found ?? dummyCredential
    const ok = verifyPassword(password, cred.salt, cred.hash)
    if (found === undefined || !ok) throw unauthorized()
    return found
  }

  /** The management role that decides API permissions: from the RBAC role the user holds. */
  managementRole (record: UserRecord): string {
    for (const uid of record.user.role_uids ?? []) {
      const role = this.state.roles.get(uid)
      if (role !== undefined) return role.management
    }
    return record.user.role ?? 'none'
  }
}

export const createStore = (seed: Seed, options?: StoreOptions): Store => new Store(seed, options)
