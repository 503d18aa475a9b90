// The store: all state and every business rule of the fake cluster, one part per domain.
// No fastify here: routes call it, it throws ApiErrors, one handler renders them.
import { hashPassword } from './passwords.js'
import { systemClock, type Clock, type Seed, type State, type UserRecord } from './state.js'
import { Core } from './core.js'
import { Bdbs } from './bdbs.js'
import { Access } from './access.js'
import { Cluster } from './cluster.js'

export type { Clock, Json, Seed, State, UserRecord } from './state.js'
export { isoSeconds, systemClock } from './state.js'
export type { Core, Timing } from './core.js'

export interface StoreOptions {
  /** start as a node that has not joined a cluster yet */
  freshNode?: boolean
  /** replaces the login and password of user uid 1 */
  admin?: { email?: string, password?: string }
  clock?: Clock
  /** ms before async work completes (bdb pending → active, bootstrap, actions); default 100 */
  transitionDelayMs?: number
}

export const DEFAULT_TRANSITION_DELAY_MS = 100

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
  readonly core: Core
  readonly bdbs: Bdbs
  readonly access: Access
  readonly cluster: Cluster

  constructor (readonly seed: Seed, readonly options: StoreOptions = {}) {
    this.core = new Core(stateFromSeed(seed, options), options.clock ?? systemClock, {
      transitionDelayMs: options.transitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS
    })
    this.bdbs = new Bdbs(this.core)
    this.access = new Access(this.core)
    this.cluster = new Cluster(this.core)
  }

  get state (): State { return this.core.state }
  get clusterStateId (): number { return this.core.state.clusterStateId }
  get inCluster (): boolean { return this.core.state.inCluster }
  changed (): void { this.core.changed() }
}

export const createStore = (seed: Seed, options?: StoreOptions): Store => new Store(seed, options)
