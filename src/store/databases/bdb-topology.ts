// Where a database's shards run and how many it has: recover (plan and action), rebalance,
// revamp and optimize_shards_placement (docs/rs-api-notes.md §5.7). Blueprints come from placement.ts.
import type { Bdb } from '../../schemas/bdb.js'
import { bdbBusy, bdbNotRecoverable, invalidParam } from '../../base/errors.js'
import type { Core, Json } from '../kernel/index.js'
import type { Bdbs } from './bdbs.js'
import { layoutShards, setSorted, shardTotal } from './bdb-layout.js'
import { checkBdb } from './bdb-rules.js'
import { applyBlueprint, blueprint, usableNodes, type Shards } from '../topology/index.js'

export interface RevampBody {
  avoid_nodes?: string[]
  bigstore_ram_size?: number
  memory_size?: number
  replication?: boolean
  shards_count?: number
  shards_placement?: 'dense' | 'sparse'
}

export interface PlacementQuery {
  avoid_nodes?: string
  memory_size?: string
  shards_count?: string
  shards_placement?: string
  bigstore_ram_size?: string
  replication?: string
}

const PERSISTED_FILE: Record<string, (shard: number) => string> = {
  aof: s => `appendonly-${s}.aof`,
  snapshot: s => `dump-${s}.rdb`
}

/** A non-negative integer query parameter, or 400 invalid_param. */
function intParam (name: string, raw: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined
  const n = Number(raw)
  if (!/^\d+$/.test(raw) || n < min || n > max) throw invalidParam(`${name} must be an integer from ${min} to ${max}, not '${raw}'`)
  return n
}

export class BdbTopology {
  constructor (private readonly core: Core, private readonly bdbs: Bdbs, private readonly shards: Shards) {}

  /** GET .../actions/recover: the persistence file of each shard (none without persistence). */
  recoveryPlan (uid: number): Json {
    const bdb = this.bdbs.get(uid)
    const file = PERSISTED_FILE[String(bdb.data_persistence ?? 'disabled')]
    const modified = Date.parse(bdb.last_changed_time) / 1000
    const data_files = file === undefined
      ? []
      : this.shards.ofBdb(bdb).map(s => ({
        filename: file(Number(s.uid)),
        last_modified: modified,
        node_uid: s.node_uid,
        shard_role: s.role,
        shard_slots: s.assigned_slots,
        shard_uid: s.uid,
        size: 88
      }))
    return { data_files, status: 'ready' }
  }

  /** POST .../actions/recover: a database in `recovery` becomes active again (docs/decisions.md #44). */
  recover (uid: number): { action_uid: string } {
    const bdb = this.bdbs.get(uid)
    if (bdb.status !== 'recovery') {
      throw bdb.status === 'active' ? bdbNotRecoverable(uid, bdb.status) : bdbBusy(uid, bdb.status)
    }
    const done = this.bdbs.change(uid, 'SMRecoverBDB', () => {}, { from: 'recovery' })
    this.core.log('bdb_recovery_started', { bdb_uid: String(uid) })
    return { action_uid: String(done.action_uid) }
  }

  /** Test control: the database lost its shards in a cluster failure and waits for recovery. */
  markForRecovery (uid: number): Bdb {
    const bdb = this.bdbs.get(uid)
    if (bdb.status !== 'active') throw bdbBusy(uid, bdb.status)
    bdb.status = 'recovery'
    this.core.changed()
    return bdb
  }

  /** PUT .../actions/rebalance: the balanced blueprint (dry run) or the move to it. */
  rebalance (uid: number, query: { dry_run?: string, only_failovers?: string, max_operations?: string }): Json[] | { action_uid: string } {
    intParam('max_operations', query.max_operations, 1)
    const bdb = this.bdbs.get(uid)
    const plan = blueprint(bdb, usableNodes(this.core.state, bdb.avoid_nodes as string[] | undefined))
    if (query.dry_run !== undefined) return plan
    const done = this.bdbs.change(uid, 'SMRebalanceBDB', (b, dry) => { if (!dry) applyBlueprint(this.core.state, b, plan) })
    return { action_uid: String(done.action_uid) }
  }

  /** PUT .../actions/revamp: new topology settings and the shard placement that fits them. */
  revamp (uid: number, body: RevampBody, dryRun: boolean): Json[] | { action_uid: string } {
    const { state } = this.core
    let plan: Json[] = []
    const done = this.bdbs.change(uid, 'SMRevampBDB', (b, dry) => {
      const before = { count: b.shards_count, replication: b.replication, list: b.shard_list }
      for (const [k, v] of Object.entries(body)) setSorted(b, k, structuredClone(v))
      // a revamp to several shards implies a sharded database
      if (b.shards_count > 1) b.sharding = true
      const reshape = b.shards_count !== before.count || b.replication !== before.replication
      checkBdb(state, b, reshape ? shardTotal(b.shards_count, b.replication) - before.list.length : 0, false)
      if (reshape) b.shard_list = layoutShards(state, b.shards_count, b.replication, before.list, before.count)
      plan = blueprint(b, usableNodes(state, b.avoid_nodes as string[] | undefined))
      if (!dry) applyBlueprint(state, b, plan)
    }, { dryRun })
    return dryRun ? plan : { action_uid: String(done.action_uid) }
  }

  /**
   * GET /v1/bdb_groups (undocumented; captured as {"bdb_groups": []}): the groups the databases'
   * group_uid name, with their members (strings, per objects/bdb_group) and pooled memory.
   */
  groups (): Json[] {
    const groups = new Map<number, Bdb[]>()
    for (const b of this.core.state.bdbs.values()) {
      const g = Number(b.group_uid ?? 0)
      if (g > 0) groups.set(g, [...groups.get(g) ?? [], b])
    }
    return [...groups].sort(([a], [b]) => a - b).map(([uid, members]) => ({
      uid,
      members: members.map(b => String(b.uid)),
      memory_size: members.reduce((n, b) => n + b.memory_size, 0)
    }))
  }

  /** GET .../actions/optimize_shards_placement: the blueprint for the database with these settings. */
  optimize (uid: number, q: PlacementQuery): Json[] {
    const bdb = this.bdbs.get(uid)
    intParam('memory_size', q.memory_size, 0)
    intParam('bigstore_ram_size', q.bigstore_ram_size, 0)
    if (q.replication !== undefined && !['enabled', 'disabled'].includes(q.replication)) {
      throw invalidParam(`replication must be 'enabled' or 'disabled', not '${q.replication}'`)
    }
    if (q.shards_placement !== undefined && !['dense', 'sparse'].includes(q.shards_placement)) {
      throw invalidParam(`shards_placement must be 'dense' or 'sparse', not '${q.shards_placement}'`)
    }
    const avoid = q.avoid_nodes !== undefined ? q.avoid_nodes.split(',').map(s => s.trim()).filter(Boolean) : bdb.avoid_nodes as string[] | undefined
    return blueprint({
      shards_count: intParam('shards_count', q.shards_count, 1, 512) ?? bdb.shards_count,
      replication: q.replication !== undefined ? q.replication === 'enabled' : bdb.replication,
      shards_placement: q.shards_placement ?? String(bdb.shards_placement ?? 'dense')
    }, usableNodes(this.core.state, avoid))
  }
}
