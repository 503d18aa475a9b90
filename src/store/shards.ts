// Shards, derived from the databases on every read (never stored twice): a database's
// shard_list holds its masters, then one replica per master (reference §5.6).
import type { Bdb } from '../schemas/bdb.js'
import { shardNotFound } from '../errors.js'
import type { Core } from './core.js'
import type { Json } from './state.js'

const SLOTS = 16384

/** The hash slots of master `i` of `n`: an even split of 0-16383. */
export const slotRange = (i: number, n: number): string =>
  `${Math.floor(i * SLOTS / n)}-${Math.floor((i + 1) * SLOTS / n) - 1}`

export class Shards {
  constructor (private readonly core: Core) {}

  list (): Json[] {
    return [...this.core.state.bdbs.values()].flatMap(b => this.ofBdb(b)).sort((a, b) => Number(a.uid) - Number(b.uid))
  }

  get (uid: string): Json {
    const found = this.list().find(s => s.uid === uid)
    if (found === undefined) throw shardNotFound(uid)
    return found
  }

  /** In the captured key order; uid and node_uid are strings, bdb_uid an integer. */
  ofBdb (bdb: Bdb): Json[] {
    const { state } = this.core
    const masters = bdb.shards_count
    const ready = bdb.status !== 'pending'
    const nodeOf = (uid: number): string => {
      for (const n of state.nodes.values()) if ((n.shard_list as number[] | undefined)?.includes(uid) === true) return String(n.uid)
      return String(state.nodes.keys().next().value ?? 1)
    }
    return bdb.shard_list.map((uid, i) => ({
      assigned_slots: slotRange(i % masters, masters),
      bdb_uid: bdb.uid,
      // a database still being created has its shards placed but not serving yet
      detailed_status: ready ? 'ok' : 'loading',
      loading: { status: ready ? 'idle' : 'in_progress' },
      node_uid: nodeOf(uid),
      redis_info: {},
      report_timestamp: this.core.nowIso(),
      role: i < masters ? 'master' : 'slave',
      status: ready ? 'active' : 'inactive',
      uid: String(uid)
    }))
  }
}
