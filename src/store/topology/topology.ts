// The cluster's nodes: a seed grown to N nodes, shaped like the first (docs/rs-api-notes.md §5.2).
// A node added here runs no shard yet: shard placement (store/topology/shards.ts) spreads the databases.
import type { Json, Seed, State } from '../kernel/index.js'
import type { Bdb } from '../../schemas/bdb.js'

export const MAX_NODES = 32

/** The address after ADDR's: 10.0.0.11 → 10.0.0.12 (a non-IPv4 address gets the node number appended). */
function nextAddr (addr: string, step: number): string {
  const m = /^(\d+\.\d+\.\d+\.)(\d+)$/.exec(addr)
  return m === null ? `${addr}-${step}` : `${m[1]}${(Number(m[2]) + step) % 256}`
}

/** A node like TEMPLATE with uid UID: same hardware and software, its own address, no shards. */
export function nodeLike (template: Json & { uid: number }, uid: number): Json & { uid: number } {
  const node = structuredClone(template)
  node.uid = uid
  node.addr = nextAddr(String(template.addr ?? '10.0.0.11'), uid - template.uid)
  node.external_addr = []
  node.shard_list = []
  node.shard_count = 0
  node.ram_shard_count = 0
  node.flash_shard_count = 0
  node.status = 'active'
  return node
}

/** SEED with at least N nodes (uids 1..N); more nodes than N are kept as they are. */
export function withNodes (seed: Seed, n: number): Seed {
  if (seed.nodes.length >= n || seed.nodes.length === 0) return seed
  const nodes = [...seed.nodes] as Array<Json & { uid: number }>
  const template = nodes[0]
  let uid = Math.max(...nodes.map(x => x.uid))
  while (nodes.length < n) nodes.push(nodeLike(template, ++uid))
  // The shards spread over every node (store/topology/shards.ts) instead of staying where the seed put them.
  for (let i = 0; i < nodes.length; i++) nodes[i] = { ...nodes[i], shard_list: [], shard_count: 0, ram_shard_count: 0 }
  const proxies = seed.proxies === undefined || seed.proxies.length === 0
    ? seed.proxies
    : [...seed.proxies, ...nodes.slice(seed.proxies.length).map(x => ({ ...structuredClone(seed.proxies?.[0] as Json), uid: x.uid }))]
  return { ...seed, nodes, ...(proxies === undefined ? {} : { proxies }) }
}

type Node = Json & { uid: number }

/** The lowest node uid (the master of a seed), 1 when there is none. */
export const firstUid = (nodes: Json[]): number => nodes.length === 0 ? 1 : Math.min(...nodes.map(n => Number(n.uid)))

/** The nodes new shards may go to: active and accepting servers (all nodes when none is). */
export function eligibleNodes (state: State): Node[] {
  const nodes = [...state.nodes.values()]
  const off = new Set(state.nodeOps.maintenance)
  const ok = nodes.filter(n => (n.status ?? 'active') === 'active' && n.accept_servers !== false && !off.has(n.uid))
  return ok.length > 0 ? ok : nodes
}

/** The node that becomes master when the master goes: the lowest active node of this process (#51). */
export function nextMaster (state: State): number {
  const remote = new Set((state.nodeOps.remote ?? []).map(r => r.uid))
  return eligibleNodes(state).find(n => !remote.has(n.uid) && (n.status ?? 'active') === 'active')?.uid ?? state.masterUid
}

/**
 * Node UID's master shards swap nodes with their replicas (a failover, or enslave_node): the
 * replica becomes master where it runs. A master without a replica elsewhere stays.
 */
export function demoteNode (state: State, uid: number): number {
  const nodeOf = new Map<number, number>()
  for (const n of state.nodes.values()) for (const s of n.shard_list as number[]) nodeOf.set(s, n.uid)
  let swapped = 0
  for (const bdb of state.bdbs.values()) {
    const masters = Math.max(1, bdb.shards_count)
    if (bdb.shard_list.length <= masters) continue
    for (let i = 0; i < masters; i++) {
      const m = bdb.shard_list[i]
      const r = bdb.shard_list[masters + i]
      const other = nodeOf.get(r)
      if (nodeOf.get(m) !== uid || r === undefined || other === undefined || other === uid) continue
      // roles follow the shard_list order: swapping the uids' places makes the replica the master
      bdb.shard_list[i] = r
      bdb.shard_list[masters + i] = m
      swapped++
    }
  }
  // the endpoints follow their new masters
  if (swapped > 0) placeEndpoints(state, nodeOf)
  return swapped
}

/**
 * The nodes' shard_list follow the databases: deleted shards leave, shards no node runs yet are
 * placed as RS places them: masters round-robin over the nodes (from a per-database offset),
 * each replica on another node than its master when there is one.
 */
export function spreadShards (state: State): void {
  const live = new Set<number>()
  for (const b of state.bdbs.values()) for (const s of b.shard_list) live.add(s)
  const nodeOf = new Map<number, number>()
  for (const n of state.nodes.values()) {
    n.shard_list = ((n.shard_list as number[] | undefined) ?? []).filter(s => live.has(s) && !nodeOf.has(s))
    for (const s of n.shard_list as number[]) nodeOf.set(s, n.uid)
  }
  const eligible = eligibleNodes(state)
  if (eligible.length === 0) return
  const at = (i: number): Node => eligible[((i % eligible.length) + eligible.length) % eligible.length]
  const put = (shard: number, node: Node): void => {
    ;(node.shard_list as number[]).push(shard)
    nodeOf.set(shard, node.uid)
  }
  for (const bdb of state.bdbs.values()) {
    const masters = Math.max(1, bdb.shards_count)
    bdb.shard_list.forEach((shard, index) => {
      if (nodeOf.has(shard)) return
      if (index < masters) {
        // away from its replica when that one already runs somewhere
        const replicaNode = nodeOf.get(bdb.shard_list[masters + index])
        const start = bdb.uid - 1 + index
        const k = [0, 1].find(d => at(start + d).uid !== replicaNode) ?? 0
        return put(shard, at(start + k))
      }
      const masterNode = nodeOf.get(bdb.shard_list[index % masters])
      const m = eligible.findIndex(n => n.uid === masterNode)
      put(shard, at(m === -1 ? bdb.uid + index : m + 1))
    })
  }
  for (const n of state.nodes.values()) {
    const list = (n.shard_list as number[]).sort((a, b) => a - b)
    n.shard_count = list.length
    n.ram_shard_count = list.length
  }
  placeEndpoints(state, nodeOf)
}

/**
 * A database's endpoint addresses follow its proxy_policy: `single` the node of its first
 * master, `all-master-shards` every node with one of its masters, `all-nodes` every node.
 */
function placeEndpoints (state: State, nodeOf: Map<number, number>): void {
  if (state.nodes.size < 2) return // one node: the addresses stay as the fixtures wrote them
  const addrOf = (uid: number | undefined): string | undefined => uid === undefined ? undefined : String(state.nodes.get(uid)?.addr)
  for (const bdb of state.bdbs.values()) {
    const masters = bdb.shard_list.slice(0, Math.max(1, bdb.shards_count))
    const addrs = bdb.proxy_policy === 'all-nodes'
      ? [...state.nodes.values()].map(n => String(n.addr))
      : bdb.proxy_policy === 'all-master-shards'
        ? [...new Set(masters.map(s => addrOf(nodeOf.get(s))).filter(a => a !== undefined))]
        : [addrOf(nodeOf.get(masters[0]))].filter(a => a !== undefined)
    for (const e of bdb.endpoints ?? []) if (addrs.length > 0) e.addr = addrs
  }
}

/** More than half the nodes are up (a one-node cluster always is). */
export function hasQuorum (state: State): boolean {
  let up = 0
  for (const n of state.nodes.values()) if ((n.status ?? 'active') !== 'down') up++
  return up * 2 > state.nodes.size
}

/** Whether one of BDB's master shards runs on a node that is down. */
export function masterUnreachable (state: State, bdb: { shard_list: number[], shards_count: number }): boolean {
  const masters = new Set(bdb.shard_list.slice(0, Math.max(1, bdb.shards_count)))
  for (const n of state.nodes.values()) {
    if (n.status === 'down' && (n.shard_list as number[]).some(s => masters.has(s))) return true
  }
  return false
}

/** The memory a database takes on the nodes: its memory_size, twice with replication. */
export const footprint = (b: Bdb): number => Number(b.memory_size) * (b.replication ? 2 : 1)

/** What the nodes that take shards offer (all but node LEAVING), against what the databases take. */
export function memoryBalance (state: State, leaving?: number): { needed: number, available: number } {
  let needed = 0
  for (const b of state.bdbs.values()) needed += footprint(b)
  let available = 0
  for (const n of state.nodes.values()) if (n.uid !== leaving && n.accept_servers !== false) available += Number(n.total_memory ?? 0)
  return { needed, available }
}
