// Shard failover and migration (docs/rs-api-notes.md §5.6): failover swaps a master with its replica (the
// database goes through active-change-pending); migration moves shards to another node as a
// task. Both answer an action_uid to poll.
import {
  dbBusy, failoverShardsDifferentBdb, noReplica, nodeNotFound, nodeUidRequired, shardIsSlave, shardNotExist, shardUidsRequired
} from '../../base/errors.js'
import type { Core } from '../kernel/index.js'
import type { Actions } from './actions.js'
import type { Bdbs } from './bdbs.js'
import { moveShards, type Placement, type Shards } from '../topology/index.js'
import { syncShardCounters } from './bdb-layout.js'

export interface FailoverRequest { shard_uids?: Array<string | number>, dry_run?: boolean }
export interface MigrateRequest { shard_uids?: Array<string | number>, target_node_uid?: number, dry_run?: boolean }
export interface Triggered { action_uid: string, description: string }

export class ShardActions {
  constructor (private readonly core: Core, private readonly actions: Actions, private readonly bdbs: Bdbs, private readonly shards: Shards) {}

  private placed (uids: Array<string | number> | undefined): Placement[] {
    if (uids === undefined || uids.length === 0) throw shardUidsRequired()
    const { byUid } = this.shards.placement()
    return uids.map(u => {
      const p = byUid.get(Number(u))
      if (p === undefined) throw shardNotExist(String(u))
      return p
    })
  }

  /** POST /v1/shards[/{uid}]/actions/failover: undefined for a successful dry run. */
  failover ({ shard_uids: uids, dry_run: dryRun }: FailoverRequest): Triggered | undefined {
    const shards = this.placed(uids)
    const bdb = shards[0].bdb
    if (shards.some(s => s.bdb.uid !== bdb.uid)) throw failoverShardsDifferentBdb()
    for (const s of shards) if (!s.master) throw shardIsSlave(String(s.uid))
    // docs/decisions.md #41: a master without a replica has nothing to promote
    if (!bdb.replication) throw noReplica(bdb.uid)
    if (bdb.status !== 'active') throw dbBusy(bdb.uid, bdb.status)
    if (dryRun === true) return undefined
    const masters = Math.max(1, bdb.shards_count)
    const done = this.bdbs.change(bdb.uid, 'SMFailoverShards', b => {
      for (const s of shards) {
        const replica = s.index + masters
        ;[b.shard_list[s.index], b.shard_list[replica]] = [b.shard_list[replica], b.shard_list[s.index]]
      }
    })
    this.core.log('shards_failover', { bdb_uid: String(bdb.uid), shard_uids: shards.map(s => String(s.uid)) })
    return { action_uid: String(done.action_uid), description: 'Failover was triggered' }
  }

  /** POST /v1/shards[/{uid}]/actions/migrate: shards of any databases to one node. */
  migrate ({ shard_uids: uids, target_node_uid: target, dry_run: dryRun }: MigrateRequest): Triggered | undefined {
    const shards = this.placed(uids)
    if (target === undefined) throw nodeUidRequired()
    if (!this.core.state.nodes.has(target)) throw nodeNotFound(target)
    for (const s of shards) if (s.bdb.status !== 'active') throw dbBusy(s.bdb.uid, s.bdb.status)
    if (dryRun === true) return undefined
    const task = this.actions.start({ kind: 'task', name: 'migrate_shards', bdbUid: shards[0].bdb.uid })
    // already on the target: nothing moves, the task still runs
    moveShards(this.core.state, new Map(shards.map(s => [s.uid, target])))
    syncShardCounters(this.core.state)
    for (const s of shards) this.core.log('shard_migrated', { bdb_uid: String(s.bdb.uid), shard_uid: String(s.uid), node_uid: String(target) })
    this.core.schedule(() => {
      this.actions.finish(task.uid)
      this.core.changed()
    })
    this.core.changed()
    return { action_uid: task.uid, description: 'Migrate was triggered' }
  }
}
