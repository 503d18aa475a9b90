// Node writes and node actions (docs/rs-api-notes.md §5.2, docs/decisions.md #50): PUT /v1/nodes/{uid},
// remove (shards migrate away, then the node leaves), maintenance_on/off (a snapshot, shards away
// and back), enslave_node (masters handed to their replicas), and the node snapshots.
import {
  actionConflict, insufficientResources, invalidSchema, maintenanceSnapshot, nodeActionNotFound, nodeAlreadyHasRackId, nodeAlreadyPopulated,
  nodeNotActive, nodeNotFound, nodeNotOffline, snapshotNotFound
} from '../../base/errors.js'
import { badAddress } from '../../base/address.js'
import { mustGet, type Core, type Json } from '../kernel/index.js'
import { syncShardCounters } from '../databases/index.js'
import { demoteNode, hasQuorum, memoryBalance, moveShards, nextMaster, type Membership } from '../topology/index.js'

/** The URL's action → the name its status carries (the docs' example lists `remove_node`). */
export const NODE_ACTIONS = { remove: 'remove_node', maintenance_on: 'maintenance_on', maintenance_off: 'maintenance_off', enslave_node: 'enslave_node' } as const
export type NodeAction = keyof typeof NODE_ACTIONS

type Body = Record<string, unknown> | undefined

/** RS snapshot times: `2024-01-10 20:55:54`. */
const snapshotTime = (iso: string): string => iso.replace('T', ' ').replace('Z', '')

export class NodeOps {
  constructor (private readonly core: Core, private readonly membership: Membership) {
    // A state swapped in (reset, import, state file) may hold actions still running: they complete.
    core.onReset(() => {
      for (const a of this.ops.actions) if (a.status === 'running') core.schedule(() => this.complete(String(a.name), String(a.node_uid)))
    })
  }

  private get ops () { return this.core.state.nodeOps }
  private node (uid: number) { return mustGet(this.core.state.nodes, uid, nodeNotFound) }

  /** PUT /v1/nodes/{uid}: the schema let only writable fields through; RS answers an empty body. */
  update (uid: number, body: Json): void {
    const node = this.node(uid)
    const bad = badAddress([...(body.addr === undefined ? [] : [body.addr]), ...(body.external_addr as unknown[] | undefined ?? [])])
    if (bad !== undefined) throw invalidSchema(`'${bad}' is not an IP address or a host name`)
    if (body.addr !== undefined && body.addr !== node.addr && node.status !== 'down') throw nodeNotOffline()
    if (body.accept_servers === false && node.accept_servers !== false && (node.shard_list as number[]).length > 0) throw nodeAlreadyPopulated(uid)
    if (body.rack_id !== undefined && body.rack_id !== node.rack_id && String(node.rack_id ?? '') !== '') throw nodeAlreadyHasRackId(uid)
    Object.assign(node, structuredClone(body))
    this.core.log('node_updated', { node_uid: String(uid) })
    this.core.changed()
  }

  /**
   * POST /v1/nodes/{uid}/actions/{action}: the change is made at once, and the action's status
   * reads `running` until the transition delay has passed; meanwhile another action on the node is
   * refused with 409 (docs/decisions.md #55).
   */
  start (uid: number, action: NodeAction, body: Body): Json {
    const node = this.node(uid)
    const { state } = this.core
    const running = this.ops.actions.find(a => a.node_uid === String(uid) && a.status === 'running')
    if (running !== undefined) throw actionConflict(String(running.name), `node ${uid}`)
    if (action === 'remove') {
      if (state.nodes.size < 2) throw insufficientResources('The cluster does not have another node to migrate the shards to')
      const { needed, available } = memoryBalance(state, uid)
      if (needed > available) throw insufficientResources(`The other nodes cannot host the databases: they take ${needed} bytes, the other nodes have ${available}`)
      const shards = node.shard_list as number[]
      node.shard_list = []
      state.nodes.delete(uid)
      state.proxies.delete(uid)
      state.nodeOps.maintenance = state.nodeOps.maintenance.filter(n => n !== uid)
      state.nodeOps.partitioned = state.nodeOps.partitioned?.filter(n => n !== uid)
      if (state.masterUid === uid) state.masterUid = nextMaster(state)
      this.core.log('node_removed', { node_uid: String(uid), migrated_shards: shards.length })
      this.membership.removed(uid)
    } else if (action === 'maintenance_on') {
      const current = this.ops.snapshots.find(s => s.node_uid === String(uid) && s.maintenance === true)
      if (current === undefined || body?.overwrite_snapshot === true) {
        const name = `maintenance_mode_${uid}_${this.core.now()}`
        this.ops.snapshots = [...this.ops.snapshots.filter(s => s !== current),
          { created_time: snapshotTime(this.core.nowIso()), name, node_uid: String(uid), maintenance: true, shards: [...(node.shard_list as number[])] }]
      }
      if (!this.ops.maintenance.includes(uid)) this.ops.maintenance = [...this.ops.maintenance, uid]
      demoteNode(state, uid)
      node.shard_list = [] // its shards are placed again, on the other nodes
      this.core.log('node_maintenance_on', { node_uid: String(uid) })
    } else if (action === 'maintenance_off') {
      const name = body?.snapshot_name
      if (name !== undefined && typeof name !== 'string') throw invalidSchema('snapshot_name must be a string')
      const mine = this.ops.snapshots.filter(s => s.node_uid === String(uid))
      const snapshot = name === undefined ? mine.at(-1) : mine.find(s => s.name === name)
      if (name !== undefined && snapshot === undefined) throw snapshotNotFound(name)
      this.ops.maintenance = this.ops.maintenance.filter(n => n !== uid)
      if (snapshot !== undefined && body?.skip_shards_restore !== true) {
        const live = new Set([...state.bdbs.values()].flatMap(b => b.shard_list))
        moveShards(state, new Map(snapshot.shards.filter(s => live.has(s)).map(s => [s, uid])))
      }
      for (const s of mine) s.maintenance = false
      this.core.log('node_maintenance_off', { node_uid: String(uid) })
    } else {
      demoteNode(state, uid)
    }
    syncShardCounters(state)
    const name = NODE_ACTIONS[action]
    this.ops.actions = [...this.ops.actions.filter(a => !(a.name === name && a.node_uid === String(uid))),
      { name, node_uid: String(uid), progress: 0, status: 'running' }]
    this.core.schedule(() => this.complete(name, String(uid)))
    this.core.changed()
    return {}
  }

  /** The run of NAME on node NODE completes, unless it was cancelled (DELETE) meanwhile. */
  private complete (name: string, node: string): void {
    const run = this.ops.actions.find(a => a.name === name && a.node_uid === node && a.status === 'running')
    if (run === undefined) return
    run.progress = 100
    run.status = 'completed'
    this.core.changed()
  }

  /** GET /v1/nodes/actions, or one node's. */
  list (uid?: number): { actions: Json[] } {
    if (uid !== undefined) this.node(uid)
    return { actions: this.ops.actions.filter(a => uid === undefined || a.node_uid === String(uid)) }
  }

  get (uid: number, action: NodeAction): Json {
    this.node(uid)
    const found = this.ops.actions.find(a => a.name === NODE_ACTIONS[action] && a.node_uid === String(uid))
    if (found === undefined) throw nodeActionNotFound(action)
    return found
  }

  /** DELETE: cancels a running action (its change stays made) or removes the status of a completed run. */
  remove (uid: number, action: NodeAction): void {
    const found = this.get(uid, action)
    this.ops.actions = this.ops.actions.filter(a => a !== found)
    this.core.changed()
  }

  snapshots (uid: number): Json[] {
    this.node(uid)
    return this.ops.snapshots.filter(s => s.node_uid === String(uid)).map(({ created_time: t, name, node_uid: n }) => ({ created_time: t, name, node_uid: n }))
  }

  /** DELETE /v1/nodes/{uid}/snapshots/{name}: 403 while the node is in maintenance on it. */
  deleteSnapshot (uid: number, name: string): Json {
    const found = this.snapshots(uid).find(s => s.name === name)
    if (found === undefined) throw snapshotNotFound(name)
    if (this.ops.snapshots.some(s => s.name === name && s.maintenance === true)) throw maintenanceSnapshot(name)
    this.ops.snapshots = this.ops.snapshots.filter(s => !(s.name === name && s.node_uid === String(uid)))
    this.core.changed()
    return found
  }

  /** GET /v1/nodes/check/{uid}: node_uid an integer here; a down node fails its first check. */
  check (uid: number): Json {
    const node = this.node(uid)
    return node.status === 'down'
      ? { node_uid: uid, result: false, error: 'process cnm_http is not running or not responding ([Errno 111] Connection refused)' }
      : { node_uid: uid, result: true }
  }

  /** GET /v1/cluster/check: every node's check, node_uid a string there (the docs' example). */
  clusterCheck (): Json {
    const nodes = [...this.core.state.nodes.keys()].sort((a, b) => a - b).map((uid): Json => ({ ...this.check(uid), node_uid: String(uid) }))
    return { cluster_test_result: nodes.every(n => n.result === true), nodes }
  }

  inMaintenance (uid: number): boolean { return this.ops.maintenance.includes(uid) }

  /**
   * A node fails (test control): it is `down`, its masters fail over to their replicas, and when
   * it was the master while a majority is still up, the lowest active node becomes master.
   * Brought back up, it is `active` again and runs its shards as replicas. CUTTING: called by
   * setPartitioned, whose partition stays.
   */
  setDown (uid: number, down: boolean, cutting = false): Json {
    const node = this.node(uid)
    const { state } = this.core
    // Up or down, a partition ends: down, the node is down for real and its listener closes, so a
    // later heal must not show it active (docs/decisions.md #53).
    if (this.partitioned(uid) && !cutting) {
      state.nodeOps.partitioned = state.nodeOps.partitioned!.filter(n => n !== uid)
      if ((node.status === 'down') === down) this.core.changed()
    }
    if ((node.status === 'down') === down) return node
    node.status = down ? 'down' : 'active'
    if (down) {
      const failedOver = demoteNode(state, uid)
      if (state.masterUid === uid && hasQuorum(state)) state.masterUid = nextMaster(state)
      this.core.log('node_failed', { node_uid: String(uid), failed_over_shards: failedOver }, 'WARNING')
    } else {
      this.core.log('node_recovered', { node_uid: String(uid) })
    }
    this.core.changed()
    return node
  }

  partitioned (uid: number): boolean { return this.core.state.nodeOps.partitioned?.includes(uid) === true }

  /**
   * docs/decisions.md #53: node UID is cut off from the others while its listener answers. The
   * others see it fail (setDown); healed, it is back as an active follower.
   */
  setPartitioned (uid: number, cut: boolean): Json {
    const node = this.node(uid)
    if (cut && this.core.state.nodes.size < 2) throw invalidSchema(`Node ${uid} is the only node: there is no other node to cut it off from`)
    if (!cut) return this.partitioned(uid) ? this.setDown(uid, false) : node
    if (this.partitioned(uid)) return node
    if (node.status === 'down') throw nodeNotActive(uid, 'down')
    this.core.state.nodeOps.partitioned = [...(this.core.state.nodeOps.partitioned ?? []), uid]
    return this.setDown(uid, true, true)
  }
}
