// Which node is the master, and the cluster actions that move it (docs/rs-api-notes.md §5.1,
// docs/decisions.md #21, #49, #55). The master moves at once; the action reads `running` until the
// transition delay has passed, and a second one meanwhile is refused with 409.
import { actionConflict, clusterActionNotFound, invalidAction, invalidSchema, nodeNotActive, nodeNotFound } from '../../base/errors.js'
import type { Core, Json } from '../kernel/index.js'

export const CLUSTER_ACTIONS = ['change_master'] as const
export type ClusterAction = typeof CLUSTER_ACTIONS[number]

export class Master {
  constructor (private readonly core: Core) {
    core.onReset(() => {
      for (const a of core.state.clusterActions) if (a.status === 'running') core.schedule(() => this.complete(String(a.name)))
    })
  }

  get uid (): number { return this.core.state.masterUid }

  /** Whether node UID is (still) a node of the cluster. */
  hasNode (uid: number): boolean { return this.core.state.nodes.has(uid) }

  /** In a process that joined a cluster from another: its node uid and the master's URL (docs/decisions.md #52). */
  get member (): { uid: number, master_url: string, token: string } | undefined { return this.core.state.nodeOps.member }

  /** Whether node UID is cut off from the others (docs/decisions.md #53). */
  partitioned (uid: number): boolean { return this.core.state.nodeOps.partitioned?.includes(uid) === true }

  /** Some node is partitioned: every listener checks whether it is the one. */
  get anyPartitioned (): boolean { return (this.core.state.nodeOps.partitioned?.length ?? 0) > 0 }

  /** The master answers: it is neither down nor cut off (a master that went stays put only without quorum). */
  get reachable (): boolean { return this.core.state.nodes.get(this.uid)?.status !== 'down' }

  /** Followers serve cluster-wide requests themselves (the cluster's handle_redirects). */
  get handleRedirects (): boolean { return this.core.state.cluster.handle_redirects === true }

  /** POST /v1/cluster/actions/{action}: only change_master, with {"node_uid": "2"}. */
  start (name: string, body: unknown): Json {
    if (!(CLUSTER_ACTIONS as readonly string[]).includes(name)) throw invalidAction(name, CLUSTER_ACTIONS)
    if (this.core.state.clusterActions.some(a => a.name === name && a.status === 'running')) throw actionConflict(name, 'the cluster')
    const raw = (body as { node_uid?: unknown } | null | undefined)?.node_uid
    const text = typeof raw === 'number' ? String(raw) : raw
    if (typeof text !== 'string' || !/^[1-9]\d{0,8}$/.test(text)) throw invalidSchema('change_master needs "node_uid": the uid of the node to promote, e.g. "2"')
    const uid = Number(text)
    const node = this.core.state.nodes.get(uid)
    if (node === undefined) throw nodeNotFound(uid)
    const status = String(node.status ?? 'active')
    if (status !== 'active') throw nodeNotActive(uid, status)
    // docs/decisions.md #51: the cluster's state lives in this process; a node of another one cannot hold it
    if (this.core.state.nodeOps.remote?.some(r => r.uid === uid) === true) throw nodeNotActive(uid, 'remote')
    const { state } = this.core
    const previous = state.masterUid
    state.masterUid = uid
    // the caller processes the last run's status; a new run replaces it
    state.clusterActions = [...state.clusterActions.filter(a => a.name !== name), { name, node_uid: text, progress: 0.0, status: 'running' }]
    if (previous !== uid) this.core.log('cluster_master_changed', { node_uid: text, old_node_uid: String(previous) })
    this.core.schedule(() => this.complete(name))
    this.core.changed()
    return {}
  }

  private complete (name: string): void {
    const run = this.core.state.clusterActions.find(a => a.name === name && a.status === 'running')
    if (run === undefined) return
    run.progress = 100.0
    run.status = 'completed'
    this.core.changed()
  }

  list (): { actions: Json[] } { return { actions: this.core.state.clusterActions } }

  get (name: string): Json {
    const found = this.core.state.clusterActions.find(a => a.name === name)
    if (found === undefined) throw clusterActionNotFound(name)
    return found
  }

  /** DELETE: cancels a running action (the master stays moved) or removes the status of a completed run. */
  remove (name: string): void {
    this.get(name)
    this.core.state.clusterActions = this.core.state.clusterActions.filter(a => a.name !== name)
    this.core.changed()
  }
}
