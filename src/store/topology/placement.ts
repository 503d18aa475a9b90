// Shard placement blueprints (optimize_shards_placement, rebalance and revamp dry runs) and
// moving shards between nodes. A blueprint lists, per master shard's slot range, the node of
// the master and of its replica: [{nodes: [{node_uid: "1", role: "master"}, ...], slot_range}].
import type { Bdb } from '../../schemas/bdb.js'
import { badShardsBlueprint, insufficientResources } from '../../base/errors.js'
import { slotRange } from './shards.js'
import type { Json, State } from '../kernel/index.js'

export interface Layout { shards_count: number, replication: boolean, shards_placement?: string }

/** Nodes that may hold shards: active ones not in `avoid` (uids as strings or numbers). */
export function usableNodes (state: State, avoid: ReadonlyArray<string | number> = []): number[] {
  const skip = new Set(avoid.map(String))
  const nodes = [...state.nodes.values()].filter(n => (n.status ?? 'active') === 'active' && !skip.has(String(n.uid))).map(n => n.uid)
  if (nodes.length === 0) throw insufficientResources('No node is left to place the database\'s shards on')
  return nodes
}

/**
 * The balanced placement: `sparse` spreads masters over the nodes, `dense` keeps them on as few
 * as possible; a replica never shares its master's node when another node exists.
 */
export function blueprint (layout: Layout, nodes: number[]): Json[] {
  const n = Math.max(1, layout.shards_count)
  return Array.from({ length: n }, (_, i) => {
    const master = layout.shards_placement === 'sparse' ? nodes[i % nodes.length] : nodes[0]
    const replica = nodes[(nodes.indexOf(master) + 1) % nodes.length]
    const placed = [{ node_uid: String(master), role: 'master' }]
    if (layout.replication) placed.push({ node_uid: String(replica), role: 'slave' })
    return { nodes: placed, slot_range: slotRange(i, n) }
  })
}

/** A blueprint sent with PUT /v1/bdbs/{uid}: one entry per master, nodes that exist, a replica when replicated. */
export function checkBlueprint (state: State, bdb: Bdb, plan: Json[]): void {
  const masters = Math.max(1, bdb.shards_count)
  if (plan.length !== masters) throw badShardsBlueprint(`The blueprint has ${plan.length} entries; the database has ${masters} master shards`)
  for (const entry of plan) {
    const nodes = entry.nodes as Array<{ node_uid: string, role: string }>
    const unknown = nodes.find(n => !state.nodes.has(Number(n.node_uid)))
    if (unknown !== undefined) throw badShardsBlueprint(`Node ${unknown.node_uid} of slot range ${String(entry.slot_range)} does not exist`)
    const roles = nodes.map(n => n.role).sort().join(',')
    if (roles !== (bdb.replication ? 'master,slave' : 'master')) {
      throw badShardsBlueprint(`Slot range ${String(entry.slot_range)} needs ${bdb.replication ? 'one master and one slave' : 'one master'}`)
    }
  }
}

/** Puts each shard of `bdb` on the node the blueprint gives it (masters first, then replicas). */
export function applyBlueprint (state: State, bdb: Bdb, plan: Json[]): void {
  const masters = Math.max(1, bdb.shards_count)
  const target = new Map<number, number>()
  bdb.shard_list.forEach((shard, i) => {
    const entry = plan[i % masters]?.nodes as Array<{ node_uid: string, role: string }> | undefined
    const where = entry?.find(e => e.role === (i < masters ? 'master' : 'slave')) ?? entry?.[0]
    if (where !== undefined) target.set(shard, Number(where.node_uid))
  })
  moveShards(state, target)
}

/** Moves shards (uid → node uid) between the nodes' shard lists; the caller syncs the counters. */
export function moveShards (state: State, target: ReadonlyMap<number, number>): void {
  for (const node of state.nodes.values()) {
    const kept = ((node.shard_list as number[] | undefined) ?? []).filter(s => !target.has(s))
    for (const [shard, uid] of target) if (uid === node.uid) kept.push(shard)
    node.shard_list = kept
  }
}
