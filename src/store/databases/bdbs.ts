// Databases: reads, and create/update/delete/flush/reset_admin_pass with their rules and
// their async state machines (docs/rs-api-notes.md §2.3, §4; docs/decisions.md #9-#11, #16).
import { newBdbDefaults, DEFAULT_MODULES, type Bdb } from '../../schemas/bdb.js'
import { bdbBusy, bdbNotFound, internalBdb, missingDbName, missingMemorySize, portUnavailable, uidExists, wrongClusterStateId } from '../../base/errors.js'
import { logFieldChanges, mustGet, nextUid, retireUid, type ActionRecord, type Core, type Json } from '../kernel/index.js'
import type { Actions } from './actions.js'
import {
  allocatePort, boundPort, DEFAULT_DB_PORTS, endpointFor, layoutShards, randomPassword, setSorted, shardTotal, syncShardCounters,
  type PortRange
} from './bdb-layout.js'
import { checkBdb, checkLicenseActive, fullVersion, resolveModules } from './bdb-rules.js'
import { dropBdbMonitoring } from '../monitoring/index.js'
import { prepareSources, settleSources } from './replication.js'
import { checkCrdtUpdate, checkNotCrdt } from './crdt-rules.js'
import { applyBlueprint, checkBlueprint } from '../topology/index.js'

// The docs' default rule set of a sharded database (docs/rs-api-notes.md §4.1).
const DEFAULT_SHARD_KEY_REGEX = [{ regex: '.*\\{(?<tag>.*)\\}.*' }, { regex: '(?<tag>.*)' }]

export interface WriteOptions { dryRun?: boolean }

/** What the host running real servers adds to the rules (src/redis/): checks throw ApiErrors. */
export interface BdbHost {
  /** the address endpoints report (undefined: their nodes' addresses) */
  address?: string
  /** a port some other process of the host listens on */
  portBusy(port: number): boolean
  /** called before a new database is accepted */
  checkCapacity(): void
  /** false while the database's server is not answering yet: it is not `active` before */
  answering(uid: number): boolean
  /** why the database's server cannot run (undefined: it runs or is starting) */
  failed?(uid: number): string | undefined
}

// How often and how long a transition to `active` waits for a real server to answer.
const ANSWER_POLL_MS = 50
const ANSWER_TRIES = 200

export class Bdbs {
  host?: BdbHost
  /** where new databases get their ports, and the ports a create or update may name (--db-ports) */
  ports: PortRange = DEFAULT_DB_PORTS

  constructor (private readonly core: Core, private readonly actions: Actions) {
    // A state swapped in (reset, import, state file) may hold databases mid-transition and
    // running tasks: let them finish.
    core.onReset(() => {
      const owned = new Set<string>()
      for (const b of core.state.bdbs.values()) {
        if (typeof b.action_uid !== 'string') continue
        owned.add(b.action_uid)
        const outcome = b.status === 'delete-pending' ? 'deleted' : 'active'
        core.schedule(() => this.settle(b.uid, String(b.action_uid), outcome))
      }
      for (const a of core.state.actions) {
        // 'other' actions (export, import, backup) are resumed by their own part (bdb-ops.ts)
        if (a.phase === 'running' && a.kind !== 'other' && !owned.has(a.uid)) core.schedule(() => this.finishTask(a.uid))
      }
    })
  }

  list (): Bdb[] { return [...this.core.state.bdbs.values()] }

  get (uid: number): Bdb { return mustGet(this.core.state.bdbs, uid, bdbNotFound) }

  /** POST /v1/bdbs: the new object in `pending`, active after the transition delay. */
  create (body: Json, { dryRun = false }: WriteOptions = {}): Bdb {
    const { state } = this.core
    checkLicenseActive(state, this.core.now())
    if (body.name === undefined) throw missingDbName()
    if (body.memory_size === undefined) throw missingMemorySize()
    const uid = body.uid === undefined ? nextUid(state, 'bdbs') : Number(body.uid)
    if (state.bdbs.has(uid)) throw uidExists(uid)

    const bdb = newBdbDefaults() as Bdb
    const policy = state.policy
    const redisVersion = String(body.redis_version ?? policy.default_redis_version ?? bdb.redis_version)
    const sharding = body.sharding === true
    for (const [k, v] of Object.entries(body)) setSorted(bdb, k, structuredClone(v))
    const now = this.core.nowIso()
    Object.assign(bdb, {
      uid,
      redis_version: redisVersion,
      version: body.version ?? fullVersion(state, redisVersion),
      proxy_policy: body.proxy_policy ?? (sharding ? policy.default_sharded_proxy_policy : policy.default_non_sharded_proxy_policy) ?? 'single',
      shard_key_regex: body.shard_key_regex ?? (sharding ? structuredClone(DEFAULT_SHARD_KEY_REGEX) : []),
      authentication_admin_pass: body.authentication_admin_pass ?? randomPassword(),
      created_time: now,
      last_changed_time: now,
      status: 'pending'
    })
    prepareSources(bdb, body, undefined, now)
    // RS 8.0 loads its four bundled modules into a new Redis 8.0 database by default.
    bdb.module_list = body.module_list !== undefined
      ? resolveModules(state, body.module_list as Json[], redisVersion)
      : bdb.type === 'redis' && redisVersion === '8.0' ? DEFAULT_MODULES.map(m => ({ ...m })) : []
    const total = shardTotal(bdb.shards_count, bdb.replication)
    checkBdb(state, bdb, total, true, this.ports)
    this.checkHost(bdb.port)
    this.host?.checkCapacity()
    bdb.shard_list = layoutShards(state, bdb.shards_count, bdb.replication)
    // An auto-assigned port reads 0 in the object; the bound one is endpoints[0].port.
    const port = bdb.port !== 0 ? bdb.port : allocatePort(state, this.host?.portBusy.bind(this.host), this.ports)
    bdb.endpoints = [endpointFor(state, bdb, port, this.host?.address)]
    if (dryRun) return bdb

    const action = this.actions.start({ kind: 'state-machine', name: 'SMCreateBDB', bdbUid: uid, step: 'create_shards' })
    setSorted(bdb, 'action_uid', action.uid)
    bdb.background_op = [backgroundOp(action)]
    state.bdbs.set(uid, bdb)
    syncShardCounters(state)
    this.core.log('cluster_bdb_created', { bdb_uid: String(uid), bdb_name: bdb.name })
    this.commit(() => this.settle(uid, action.uid, 'active'))
    return bdb
  }

  /**
   * Its redis-server stopped or cannot start: an `active` database shows `recovery` until the
   * server answers again, then `active` (docs/decisions.md #59). Other statuses are left alone.
   */
  serverDown (uid: number, down: boolean): void {
    const bdb = this.core.state.bdbs.get(uid)
    const from = down ? 'active' : 'recovery'
    if (bdb?.status !== from) return
    bdb.status = down ? 'recovery' : 'active'
    this.core.changed()
  }

  /** PUT /v1/bdbs/{uid}: a partial update through `active-change-pending`. */
  update (uid: number, body: Json, { dryRun = false, clusterStateId }: WriteOptions & { clusterStateId?: number } = {}): Bdb {
    const { state } = this.core
    const old = this.ready(uid)
    const bdb = structuredClone(old)
    const { shards_blueprint: blueprint, ...changes } = body
    // a blueprint is only valid for the cluster state it was made for (optimize_shards_placement)
    if (blueprint !== undefined && clusterStateId !== undefined && clusterStateId !== state.clusterStateId) {
      throw wrongClusterStateId(clusterStateId, state.clusterStateId)
    }
    for (const [k, v] of Object.entries(changes)) setSorted(bdb, k, structuredClone(v))
    if (changes.module_list !== undefined) bdb.module_list = resolveModules(state, changes.module_list as Json[], bdb.redis_version)
    if (changes.redis_version !== undefined) bdb.version = fullVersion(state, bdb.redis_version)
    prepareSources(bdb, changes, old, this.core.nowIso())
    checkCrdtUpdate(old, bdb)
    const before = old.shard_list.length
    const reshape = bdb.shards_count !== old.shards_count || bdb.replication !== old.replication
    const portChanged = changes.port !== undefined && changes.port !== 0 && changes.port !== boundPort(old)
    checkBdb(state, bdb, reshape ? shardTotal(bdb.shards_count, bdb.replication) - before : 0, portChanged, this.ports)
    if (portChanged) this.checkHost(Number(changes.port))
    if (reshape) bdb.shard_list = layoutShards(state, bdb.shards_count, bdb.replication, old.shard_list, old.shards_count)
    bdb.endpoints = [endpointFor(state, bdb, changes.port !== undefined && changes.port !== 0 ? Number(changes.port) : boundPort(old), this.host?.address)]
    if (blueprint !== undefined) checkBlueprint(state, bdb, blueprint as Json[])
    if (dryRun) return bdb
    if (blueprint !== undefined) applyBlueprint(state, bdb, blueprint as Json[])

    bdb.status = 'active-change-pending'
    bdb.last_changed_time = this.core.nowIso()
    const action = this.actions.start({ kind: 'state-machine', name: 'SMUpdateBDB', bdbUid: uid, step: 'update_config' })
    setSorted(bdb, 'action_uid', action.uid)
    bdb.background_op = [backgroundOp(action)]
    state.bdbs.set(uid, bdb)
    syncShardCounters(state)
    logFieldChanges(this.core, 'bdb', { bdb_uid: String(uid) }, old, bdb, Object.keys(changes))
    this.commit(() => this.settle(uid, action.uid, 'active'))
    return bdb
  }

  /** DELETE /v1/bdbs/{uid}: `delete-pending`, then gone with its shards. */
  delete (uid: number): { action_uid: string } {
    const bdb = this.get(uid)
    if (bdb.internal === true) throw internalBdb(uid)
    this.ready(uid)
    const action = this.actions.start({ kind: 'state-machine', name: 'SMDeleteBDB', bdbUid: uid, step: 'delete_shards' })
    bdb.status = 'delete-pending'
    setSorted(bdb, 'action_uid', action.uid)
    bdb.background_op = [backgroundOp(action)]
    this.commit(() => this.settle(uid, action.uid, 'deleted'))
    return { action_uid: action.uid }
  }

  /**
   * PUT /v1/bdbs/{uid}/flush: the body's changes are applied first, as PUT /v1/bdbs/{uid} applies
   * them (the page: "update database configuration and perform additional action"), then a task.
   */
  flush (uid: number, changes: Json = {}, { dryRun = false }: WriteOptions = {}): Bdb {
    checkLicenseActive(this.core.state, this.core.now())
    const bdb = this.updateFirst(uid, changes, dryRun)
    if (dryRun) return bdb
    const task = this.actions.start({ kind: 'task', name: 'flush_bdb', bdbUid: uid })
    this.core.log('bdb_flushed', { bdb_uid: String(uid) })
    this.commit(() => this.finishTask(task.uid))
    return bdb
  }

  /** PUT /v1/bdbs/{uid}/reset_admin_pass: the body's changes first (as flush), then a new authentication_admin_pass. */
  resetAdminPass (uid: number, changes: Json = {}, { dryRun = false }: WriteOptions = {}): Bdb {
    checkLicenseActive(this.core.state, this.core.now())
    checkNotCrdt(this.ready(uid), 'reset_admin_pass')
    const bdb = this.updateFirst(uid, changes, dryRun)
    if (dryRun) return bdb
    bdb.authentication_admin_pass = randomPassword()
    bdb.last_changed_time = this.core.nowIso()
    this.core.log('bdb_authentication_admin_pass_updated', { bdb_uid: String(uid) })
    this.core.changed()
    return bdb
  }

  /** The database after the update an action's body asks for (validated whole, applied unless a dry run). */
  private updateFirst (uid: number, changes: Json, dryRun: boolean): Bdb {
    const bdb = this.ready(uid)
    return Object.keys(changes).length === 0 ? bdb : this.update(uid, changes, { dryRun })
  }

  /**
   * An action on a database (upgrade, traffic, recovery, shard moves): `apply` edits a copy, so a
   * throw changes nothing (it moves shards between nodes last, and only when not a dry run); the
   * copy goes through `active-change-pending` under state machine `name`.
   */
  change (uid: number, name: string, apply: (bdb: Bdb, dryRun: boolean) => void, { dryRun = false, from = 'active' }: WriteOptions & { from?: string } = {}): Bdb {
    const { state } = this.core
    checkLicenseActive(state, this.core.now())
    const old = this.get(uid)
    if (old.status !== from) throw bdbBusy(uid, old.status)
    const bdb = structuredClone(old)
    apply(bdb, dryRun)
    if (dryRun) return bdb
    bdb.status = 'active-change-pending'
    bdb.last_changed_time = this.core.nowIso()
    const action = this.actions.start({ kind: 'state-machine', name, bdbUid: uid })
    setSorted(bdb, 'action_uid', action.uid)
    bdb.background_op = [backgroundOp(action)]
    state.bdbs.set(uid, bdb)
    syncShardCounters(state)
    this.commit(() => this.settle(uid, action.uid, 'active'))
    return bdb
  }

  /**
   * One change with the job that completes it. The job is queued first, so the job queue saved
   * with the change holds it: a later refused write (state file) rolls back to a queue that still
   * completes this change.
   */
  private commit (job: () => void): void {
    this.core.schedule(job)
    this.core.changed()
  }

  private finishTask (actionUid: string): void {
    this.actions.finish(actionUid)
    this.core.changed()
  }

  private checkHost (port: number): void {
    if (port !== 0 && this.host?.portBusy(port) === true) throw portUnavailable(port, 'another process on this host listens on it')
  }

  /** 409 busy unless the database is `active` (a previous change still pending). */
  private ready (uid: number): Bdb {
    const bdb = this.get(uid)
    if (bdb.status !== 'active') throw bdbBusy(uid, bdb.status)
    return bdb
  }

  private settle (uid: number, actionUid: string, outcome: 'active' | 'deleted', tries = 0): void {
    const { state } = this.core
    const bdb = state.bdbs.get(uid)
    // A client that waits for `active` then connects must find the server (10 s at most).
    const failed = outcome === 'active' ? this.host?.failed?.(uid) : undefined
    if (outcome === 'active' && bdb?.action_uid === actionUid && tries < ANSWER_TRIES && failed === undefined && this.host?.answering(uid) === false) {
      this.core.schedule(() => this.settle(uid, actionUid, outcome, tries + 1), ANSWER_POLL_MS)
      return
    }
    this.actions.finish(actionUid)
    if (bdb === undefined || bdb.action_uid !== actionUid) {
      this.core.changed()
      return
    }
    if (outcome === 'deleted') {
      state.bdbs.delete(uid)
      retireUid(state, 'bdbs', uid)
      dropBdbMonitoring(state.monitoring, uid)
      syncShardCounters(state)
      this.core.log('cluster_bdb_deleted', { bdb_uid: String(uid), bdb_name: bdb.name })
    } else {
      // A server that cannot run leaves the database in `recovery`, never `active` (decisions #59).
      bdb.status = failed === undefined ? 'active' : 'recovery'
      delete bdb.action_uid
      settleSources(state, bdb, this.core.nowIso())
      bdb.background_op = [{ status: 'idle' }]
    }
    this.core.changed()
  }
}

/**
 * docs/decisions.md #23: the deprecated background_op shows the state machine running on the database
 * (the objects page's {name, status, progress}); a settled database reads [{"status": "idle"}],
 * as captured from a database created through the API.
 */
function backgroundOp (action: ActionRecord): Json {
  return { name: action.name, progress: action.progress, status: 'running' }
}
