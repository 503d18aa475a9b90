// The store: all state and every business rule of the fake cluster, one part per domain.
// No fastify here: routes call it, it throws ApiErrors, one handler renders them.
import { Access, Ldap, passwordRecord, RedisAcls, Roles, Sso, Tokens, UserPasswords, Users } from './access/index.js'
import { Core, DEFAULT_TRANSITION_DELAY_MS, Events, noUidsRetired, systemClock, type Clock, type Seed, type State, type UserRecord } from './kernel/index.js'
import { Actions, BdbCommands, BdbConfig, BdbOps, Bdbs, BdbTopology, CustomModules, newOperationsState, Replication, ShardActions, SourceAlerts } from './databases/index.js'
import { Bootstrap, Cluster, ClusterInfo, defaultProxies, NodeOps, Proxies } from './cluster/index.js'
import { firstUid, Master, Membership, Shards, spreadShards, withNodes } from './topology/index.js'
import { Alerts, Health, newMonitoringState, Stats } from './monitoring/index.js'
import { Certificates, Ocsp, Services, Settings } from './settings/index.js'
import { Crdbs, httpsPeers, type PeerTransport } from './active-active/index.js'
import { exportDocument, parseStateDocument, StateChecker, type StateDocument } from './snapshot.js'

export type { ActionRecord, Clock, Json, Seed, State, UserRecord } from './kernel/index.js'
// what a request's permissions are, as the front door finds them
export type { Grant } from './access/index.js'
export { isoSeconds, systemClock } from './kernel/index.js'
export type { Core, Timing } from './kernel/index.js'
export { stateText, type StateDocument } from './snapshot.js'
// what the metrics exporter (src/metrics/) reads from the parts' answers
export type { CurrentSamples, Metrics } from './monitoring/index.js'
export type { BdbMonitor } from './monitoring/index.js'

export interface StoreOptions {
  /** start as a node that has not joined a cluster yet */
  freshNode?: boolean
  /** replaces the login and password of user uid 1 */
  admin?: { email?: string, password?: string }
  clock?: Clock
  /** ms before async work completes (bdb pending → active, bootstrap, actions); default 100 */
  transitionDelayMs?: number
  /** how an Active-Active coordinator reaches the other clusters; default HTTPS (store/active-active/coordinator.ts) */
  peers?: PeerTransport
  /** nodes in the cluster (default: the seed's); more than the seed has are made like its first */
  nodes?: number
  /** each node's addr, node by node in uid order (--node-addresses: the addresses they listen on) */
  nodeAddresses?: readonly string[]
}

export { DEFAULT_TRANSITION_DELAY_MS } from './kernel/index.js'

/** A seed handed over to the store: `first` becomes the state itself, `fresh()` makes pristine copies. */
export interface SeedSource {
  readonly first: Seed
  fresh(): Seed
}

const isSource = (seed: Seed | SeedSource): seed is SeedSource => typeof (seed as SeedSource).fresh === 'function'

/** Builds a state on `s`, which it takes over: pass a copy nobody else holds. */
function stateFromSeed (seed: Seed, options: StoreOptions): State {
  const s = options.nodes === undefined || options.freshNode === true ? seed : withNodes(seed, options.nodes)
  const users = new Map<number, UserRecord>()
  for (const { password, ...user } of s.users) {
    const u = user as UserRecord['user']
    if (u.uid === 1 && options.admin?.email !== undefined) u.email = options.admin.email
    const pw = u.uid === 1 && options.admin?.password !== undefined ? options.admin.password : password ?? ''
    users.set(u.uid, { user: u, ...passwordRecord(pw) })
  }
  const byUid = <T extends { uid: number }>(items: unknown[]) =>
    new Map((items as T[]).map(i => [i.uid, i] as const))
  const state: State = {
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
    events: [],
    actions: [],
    proxies: byUid(s.proxies ?? defaultProxies(s.nodes as Array<{ uid: number }>)),
    monitoring: newMonitoringState(),
    settings: {},
    serviceStates: {},
    certificates: {},
    ldapMappings: new Map(),
    ldapDirectory: new Map(),
    ocspState: {},
    crdbs: new Map(),
    crdbTasks: new Map(),
    operations: newOperationsState(),
    lastUids: noUidsRetired(),
    masterUid: firstUid(s.nodes),
    clusterActions: [],
    nodeOps: { actions: [], snapshots: [], maintenance: [] }
  }
  const addresses = options.nodeAddresses ?? []
  ;[...state.nodes.values()].sort((a, b) => a.uid - b.uid).forEach((node, i) => { if (addresses[i] !== undefined) node.addr = addresses[i] })
  if (state.nodes.size > 1) spreadShards(state)
  return state
}

export class Store {
  /** the parts' shared internals: for src/store only, everything else uses the methods below */
  readonly core: Core
  readonly bdbs: Bdbs
  readonly access: Access
  readonly tokens: Tokens
  readonly users: Users
  readonly roles: Roles
  readonly redisAcls: RedisAcls
  readonly cluster: Cluster
  readonly actions: Actions
  readonly bootstrap: Bootstrap
  readonly shards: Shards
  readonly bdbCommands: BdbCommands
  readonly events: Events
  readonly health: Health
  readonly stats: Stats
  readonly alerts: Alerts
  readonly proxies: Proxies
  readonly passwords: UserPasswords
  readonly settings: Settings
  readonly services: Services
  readonly certificates: Certificates
  readonly ldap: Ldap
  readonly ocsp: Ocsp
  readonly sso: Sso
  readonly clusterInfo: ClusterInfo
  readonly replication: Replication
  readonly sourceAlerts: SourceAlerts
  readonly crdbs: Crdbs
  readonly bdbOps: BdbOps
  readonly bdbConfig: BdbConfig
  readonly bdbTopology: BdbTopology
  readonly shardActions: ShardActions
  readonly customModules: CustomModules
  readonly master: Master
  readonly nodeOps: NodeOps
  readonly membership: Membership

  // The start state reset goes back to: the seed and options given, or the last scenario loaded.
  // A plain Seed stays the caller's (copied each time); a SeedSource's first copy is used as is.
  private start: { seed: Seed | SeedSource, options: StoreOptions }
  private checker?: StateChecker

  constructor (seed: Seed | SeedSource, options: StoreOptions = {}) {
    this.start = { seed, options }
    const first = isSource(seed) ? seed.first : structuredClone(seed)
    this.core = new Core(stateFromSeed(first, options), options.clock ?? systemClock, {
      transitionDelayMs: options.transitionDelayMs ?? DEFAULT_TRANSITION_DELAY_MS
    })
    this.actions = new Actions(this.core)
    this.bdbs = new Bdbs(this.core, this.actions)
    this.bootstrap = new Bootstrap(this.core, () => this.seed, doc => this.parseState(doc))
    this.shards = new Shards(this.core)
    this.events = new Events(this.core)
    this.tokens = new Tokens(this.core)
    this.access = new Access(this.core, this.tokens)
    this.users = new Users(this.core, this.access)
    this.roles = new Roles(this.core, this.users)
    this.redisAcls = new RedisAcls(this.core)
    this.cluster = new Cluster(this.core, this.shards)
    this.health = new Health(this.core)
    this.stats = new Stats(this.core, this.health, this.shards)
    this.shards.redisInfo = (p, keys) => this.stats.redisInfo(p, keys)
    this.bdbCommands = new BdbCommands(this.bdbs, bdb => this.stats.modelView(bdb), () => this.core.now())
    this.alerts = new Alerts(this.core, this.health)
    this.alerts.nodeNow = uid => this.stats.nodeNow(uid)
    this.proxies = new Proxies(this.core)
    this.passwords = new UserPasswords(this.core, this.users, this.access)
    this.settings = new Settings(this.core)
    this.services = new Services(this.core)
    this.certificates = new Certificates(this.core)
    this.ldap = new Ldap(this.core, this.access, this.settings, this.services)
    this.ocsp = new Ocsp(this.core)
    this.sso = new Sso(this.core, this.settings)
    this.clusterInfo = new ClusterInfo(this.core, this.stats)
    this.access.external = (login, password) => this.ldap.login(login, password)
    this.replication = new Replication(this.core, this.health)
    this.sourceAlerts = new SourceAlerts(this.core, this.replication)
    this.crdbs = new Crdbs(this.core, this.bdbs, options.peers ?? httpsPeers())
    this.replication.peersOf = bdb => this.crdbs.peersOf(bdb)
    this.bdbOps = new BdbOps(this.core, this.actions, this.bdbs)
    this.bdbConfig = new BdbConfig(this.core, this.bdbs, this.bdbOps)
    this.bdbTopology = new BdbTopology(this.core, this.bdbs, this.shards)
    this.shardActions = new ShardActions(this.core, this.actions, this.bdbs, this.shards)
    this.customModules = new CustomModules(this.core)
    this.master = new Master(this.core)
    this.membership = new Membership(this.core)
    this.nodeOps = new NodeOps(this.core, this.membership)
  }

  /** A pristine copy of the start seed (a new one each time). */
  get seed (): Seed { return this.pristine() }
  get options (): StoreOptions { return this.start.options }

  /** Back to the start state, as one change; pending transitions are dropped. */
  reset (): void { this.core.replace(stateFromSeed(this.pristine(), this.start.options)) }

  private pristine (): Seed {
    const { seed } = this.start
    return isSource(seed) ? seed.fresh() : structuredClone(seed)
  }

  /** Makes a scenario the start state (reset returns to it) and resets to it. */
  useSeed (seed: Seed, freshNode = false): void {
    const previous = this.start
    this.start = { seed, options: { ...previous.options, freshNode } }
    try {
      this.reset()
    } catch (e) {
      this.start = previous
      throw e
    }
  }

  exportState (): StateDocument { return exportDocument(this.core.state, this.core.nowIso()) }

  /** Replaces the whole state with a document from exportState; a bad one changes nothing. */
  importState (doc: unknown): void { this.core.replace(this.parseState(doc)) }

  /** Validates a document against the shape of this store's state (throws invalid_state_document). */
  parseState (doc: unknown): State {
    // The checker compiles the state schemas: made on the first import, not at start-up.
    this.checker ??= new StateChecker()
    return parseStateDocument(doc, stateFromSeed(this.pristine(), this.start.options), this.checker)
  }

  /** The node leaves its cluster (RS routes answer 503, state kept) or joins it again. */
  setInCluster (inCluster: boolean): void {
    if (this.core.state.inCluster === inCluster) return
    this.core.state.inCluster = inCluster
    this.core.changed()
  }

  get state (): State { return this.core.state }
  get clusterStateId (): number { return this.core.state.clusterStateId }
  get inCluster (): boolean { return this.core.state.inCluster }

  /** Announces a change made to `state` directly, as every store method does after its own. */
  changed (): void { this.core.changed() }
  /** Moves on every change, swap and rollback: what is derived from the state holds until it moves. */
  get generation (): number { return this.core.generation }
  /** Called synchronously after each change, before the response is sent; may throw to refuse it. */
  onChange (listener: () => void): void { this.core.onChange(listener) }
  /** Called after reset, import or load swapped in a whole new state. */
  onReset (listener: () => void): void { this.core.onReset(listener) }

  /** The store's clock, in ms and as RS's ISO seconds. */
  now (): number { return this.core.now() }
  nowIso (): string { return this.core.nowIso() }

  /** Runs the transitions that are due; the request pipeline calls it before each request. */
  settle (): void { this.core.settle() }
  /** Completes every pending transition at once (and those they start); returns how many ran. */
  completePending (): number { return this.core.completeAll() }
  get pendingTransitions (): number { return this.core.pendingJobs }
  /** ms from a request to its async completion; a new value applies to transitions scheduled from then on. */
  get transitionDelayMs (): number { return this.core.timing.transitionDelayMs }
  set transitionDelayMs (ms: number) { this.core.timing.transitionDelayMs = ms }

  /** Swaps in a state document without counting a change (a state file read at start). */
  loadState (doc: unknown): void { this.core.replace(this.parseState(doc), true) }
  /** Puts back the content of a document in place, with the job queue of the last commit (a refused change). */
  restoreState (doc: unknown): void { this.core.restore(this.parseState(doc)) }
}

export const createStore = (seed: Seed | SeedSource, options?: StoreOptions): Store => new Store(seed, options)
