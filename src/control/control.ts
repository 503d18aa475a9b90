// One test-control object per app: what the /_mock/ routes and the library API both drive.
import type { Store, StateDocument } from '../store/index.js'
import { DEFAULT_MAX_FAULTS, Faults, type FaultRule, type FaultRuleInput } from './faults.js'
import { DEFAULT_JOURNAL_SIZE, Journal, type JournalEntry, type JournalFilter } from './journal.js'
import { loadScenario } from './scenarios.js'
import { sendJoin, tellRemoved } from './cluster-link.js'
import type { JoinRequestBody } from '../store/topology/index.js'
import { lastListeningNode } from '../base/errors.js'

export interface ControlOptions {
  /** serve the /_mock/ routes besides /_mock/health (default true) */
  enabled?: boolean
  /** accepted as `Authorization: Bearer <token>` or `x-mock-control-token: <token>` */
  token?: string
  /** requests kept in the journal (default 1000; 0 keeps none) */
  journalSize?: number
  /** fault rules that may be active at once (default 100) */
  maxFaults?: number
  /** the name or directory of the scenario the store started from (for reports only) */
  scenario?: string
}

export { DEFAULT_JOURNAL_SIZE } from './journal.js'
export { DEFAULT_MAX_FAULTS } from './faults.js'

export interface ControlStatus {
  in_cluster: boolean
  cluster_state_id: number
  scenario: string
}

export class MockControl {
  readonly faults: Faults
  readonly journal: Journal
  private scenarioName: string
  private readonly startDelayMs: number
  /** each node's listener once the server listens (reported by /_mock/health) */
  listeners: Array<{ uid: number, url: string }> = []
  /** stops or restarts node UID's listener (set by the server; none without sockets) */
  switchListener?: (uid: number, up: boolean) => Promise<void>
  /** the nodes whose listener is up (set by the server; none without sockets) */
  listening?: () => number[]

  constructor (readonly store: Store, readonly options: ControlOptions = {}) {
    this.faults = new Faults(options.maxFaults ?? DEFAULT_MAX_FAULTS)
    this.journal = new Journal(options.journalSize ?? DEFAULT_JOURNAL_SIZE)
    this.scenarioName = options.scenario ?? (store.options.freshNode === true ? 'fresh-node' : 'default')
    this.startDelayMs = store.transitionDelayMs
    // Joins and removals across processes go over HTTPS from this process's first listener (docs/decisions.md #51).
    store.bootstrap.link = async (join, dryRun) => await sendJoin(join, this.listeners[0]?.url, dryRun)
    store.membership.onRemoteRemoved = node => { void tellRemoved(node) }
  }

  /** Every node: this process's listeners and the nodes that joined from other processes. */
  get nodes (): Array<{ uid: number, url: string }> {
    const member = this.store.master.member
    if (member !== undefined) return this.listeners.slice(0, 1).map(l => ({ uid: member.uid, url: l.url }))
    return [...this.listeners, ...this.store.membership.remote.map(r => ({ uid: r.uid, url: r.url }))].sort((a, b) => a.uid - b.uid)
  }

  /** POST /_mock/nodes/join: a node of another process joins; it gets the cluster's state and the master's URL. */
  admitNode (body: JoinRequestBody, remoteAddress: string | undefined, host: string | undefined): Record<string, unknown> {
    const answer = this.store.membership.admit(body, (remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''))
    const masterUrl = this.listeners.find(l => l.uid === this.store.master.uid)?.url ?? `https://${host ?? 'localhost'}`
    return answer.dry_run === true ? { ...answer, master_url: masterUrl } : { uid: answer.uid, master_url: masterUrl, state: this.store.membership.joinerState(this.store.exportState()) }
  }

  /** Cuts node UID off from the others (or heals it): its listener keeps answering (docs/decisions.md #53). */
  setPartitioned (uid: number, cut: boolean): { uid: number, status: string, partitioned: boolean, master: number } {
    const node = this.store.nodeOps.setPartitioned(uid, cut)
    return { uid, status: String(node.status), partitioned: this.store.master.partitioned(uid), master: this.store.master.uid }
  }

  get scenario (): string { return this.scenarioName }

  /** Takes node UID down (or up): the cluster notices, and its listener stops (or starts) answering. */
  async setNodeDown (uid: number, down: boolean): Promise<{ uid: number, status: string, master: number }> {
    // The last listener closed, nothing would answer and the process would end: refused instead.
    const up = this.listening?.()
    if (down && up !== undefined && up.length === 1 && up[0] === uid) throw lastListeningNode(uid)
    const node = this.store.nodeOps.setDown(uid, down)
    await this.switchListener?.(uid, !down)
    return { uid, status: String(node.status), master: this.store.master.uid }
  }

  status (): ControlStatus {
    return { in_cluster: this.store.inCluster, cluster_state_id: this.store.clusterStateId, scenario: this.scenarioName }
  }

  reset (): ControlStatus {
    // back to the start in time too: a delay set by PUT /_mock/timing would make the next test's
    // writes meet `busy` databases (docs/control-api.md)
    this.store.transitionDelayMs = this.startDelayMs
    this.store.reset()
    return this.status()
  }

  /** Loads a built-in scenario or a fixture directory; it becomes what reset returns to. */
  loadScenario (ref: string): ControlStatus {
    const scenario = loadScenario(ref)
    this.store.useSeed(scenario.seed, scenario.freshNode)
    this.scenarioName = scenario.name
    return this.status()
  }

  exportState (): StateDocument { return this.store.exportState() }

  importState (doc: unknown): ControlStatus {
    this.store.importState(doc)
    return this.status()
  }

  leaveCluster (): ControlStatus {
    this.store.setInCluster(false)
    return this.status()
  }

  joinCluster (): ControlStatus {
    this.store.setInCluster(true)
    return this.status()
  }

  timing (): { transition_delay_ms: number, pending: number } {
    return { transition_delay_ms: this.store.transitionDelayMs, pending: this.store.pendingTransitions }
  }

  /** Applies to transitions scheduled from now on. */
  setTransitionDelay (ms: number): { transition_delay_ms: number, pending: number } {
    this.store.transitionDelayMs = ms
    return this.timing()
  }

  completePending (): { completed: number, pending: number } {
    const completed = this.store.completePending()
    return { completed, pending: this.store.pendingTransitions }
  }

  addFault (rule: FaultRuleInput): FaultRule { return this.faults.add(rule) }
  listJournal (filter?: JournalFilter): JournalEntry[] { return this.journal.list(filter) }
}
