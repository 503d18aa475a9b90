// Shards, derived from the databases (never stored twice): a database's shard_list holds its
// masters, then one replica per master (docs/rs-api-notes.md §5.6); a node's shard_list says where each
// one runs. The placement below is the one model of that the shard routes, the node status and
// the statistics all read.
import type { Core, Json, State } from '../kernel/index.js'
import type { Bdb } from '../../schemas/bdb.js'
import { shardNotFound } from '../../base/errors.js'

const SLOTS = 16384

/** The hash slots of master `i` of `n`: an even split of 0-16383. */
export const slotRange = (i: number, n: number): string =>
  `${Math.floor(i * SLOTS / n)}-${Math.floor((i + 1) * SLOTS / n) - 1}`

/** A shard's place: its database, its index in the database's shard_list, its role and node. */
export interface Placement { uid: number, bdb: Bdb, index: number, master: boolean, nodeUid: number }

/** Every shard of a state placed, by shard uid and by database (masters first). */
export interface Placed {
  byUid: Map<number, Placement>
  byBdb: Map<number, Placement[]>
  /** the shards running on node UID */
  onNode(uid: number): Placement[]
}

/** Every shard of STATE placed: one pass over the nodes and one over the databases. */
function place (state: State): Placed {
  const nodeOf = new Map<number, number>()
  for (const n of state.nodes.values()) {
    for (const s of (n.shard_list as number[] | undefined) ?? []) if (!nodeOf.has(s)) nodeOf.set(s, n.uid)
  }
  // a shard no node lists runs on the first one (a one-node cluster has every shard)
  const first = state.nodes.keys().next().value ?? 1
  const byUid = new Map<number, Placement>()
  const byBdb = new Map<number, Placement[]>()
  for (const bdb of state.bdbs.values()) {
    const masters = Math.max(1, bdb.shards_count)
    const list = (bdb.shard_list ?? []).map((uid, index) => ({ uid, bdb, index, master: index < masters, nodeUid: nodeOf.get(uid) ?? first }))
    for (const p of list) byUid.set(p.uid, p)
    byBdb.set(bdb.uid, list)
  }
  return { byUid, byBdb, onNode: uid => [...byUid.values()].filter(p => p.nodeUid === uid) }
}

export class Shards {
  /** A shard's INFO fields for ?extra_info_keys= (the store wires monitoring's in: it stands above this domain). */
  redisInfo?: (p: Placement, keys: readonly string[]) => Json

  constructor (private readonly core: Core) {}

  /** The placement of the current state, made afresh on each call: a caller keeps it for one answer. */
  placement (): Placed { return place(this.core.state) }

  /** KEYS: the INFO fields each shard's redis_info carries (?extra_info_keys=). */
  list (keys: readonly string[] = []): Json[] {
    const placed = this.placement()
    return [...this.core.state.bdbs.values()].flatMap(b => this.present(b, placed, keys)).sort((a, b) => Number(a.uid) - Number(b.uid))
  }

  get (uid: string, keys: readonly string[] = []): Json {
    const found = this.list(keys).find(s => s.uid === uid)
    if (found === undefined) throw shardNotFound(uid)
    return found
  }

  ofBdb (bdb: Bdb, keys: readonly string[] = []): Json[] { return this.present(bdb, this.placement(), keys) }

  /** In the captured key order; uid and node_uid are strings, bdb_uid an integer. */
  private present (bdb: Bdb, placed: Placed, keys: readonly string[]): Json[] {
    const masters = Math.max(1, bdb.shards_count)
    const ready = bdb.status !== 'pending'
    // a database still being created has its shards placed but not serving yet; one waiting for
    // recovery has lost them; one importing is loading a dataset
    const detailed = !ready ? 'loading' : bdb.status === 'recovery' ? 'down' : bdb.status === 'import-pending' ? 'importing' : 'ok'
    return (placed.byBdb.get(bdb.uid) ?? []).map(p => ({
      assigned_slots: slotRange(p.index % masters, masters),
      bdb_uid: bdb.uid,
      detailed_status: detailed,
      loading: { status: ready ? 'idle' : 'in_progress' },
      node_uid: String(p.nodeUid),
      redis_info: keys.length === 0 ? {} : this.redisInfo?.(p, keys) ?? {},
      report_timestamp: this.core.nowIso(),
      role: p.master ? 'master' : 'slave',
      status: ready && bdb.status !== 'recovery' ? 'active' : 'inactive',
      uid: String(p.uid)
    }))
  }
}
