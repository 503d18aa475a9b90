// Active-Active databases (the RS docs' crdbs and crdb_tasks requests, docs/rs-api-notes.md §5.14): the CRDBs this cluster takes
// part in, their member databases, and the tasks that change them. A task goes queued → started
// (the coordinator sends the change to the other clusters, crdb-tasks.ts) → finished or failed.
// A request marked as coming from another cluster's coordinator is applied here at once.
import { randomUUID } from 'node:crypto'
import type { Bdb } from '../../schemas/bdb.js'
import { bdbBusy, crdbInstanceNotFound, crdbNotFound, invalidCrdbConfig, missingMemorySize } from '../../base/errors.js'
import { mustGet, sortKeys, type Core, type Json } from '../kernel/index.js'
import { fullVersion, type Bdbs, type Peer } from '../databases/index.js'
import {
  healthReport, memberBody, presentCrdb, remotesOf,
  type Crdb, type CrdbEntry, type CrdbInstance, type CrdbOp, type PeerTransport
} from './crdb-model.js'
import { CrdbTasks } from './crdb-tasks.js'

export interface CrdbWrite {
  /** the request came from another cluster's coordinator: apply it here only */
  peer?: boolean
  dryRun?: boolean
  /** X-Result-TTL of the task, in seconds */
  ttlSec?: number
}

const DEFAULT_COMPRESSION = 3

export class Crdbs {
  readonly tasks: CrdbTasks

  constructor (private readonly core: Core, private readonly bdbs: Bdbs, transport: PeerTransport) {
    this.tasks = new CrdbTasks(core, transport, (guid, op) => this.apply(guid, op), guid => this.core.state.crdbs.get(guid))
  }

  private get state () { return this.core.state }
  get localName (): string { return String(this.state.cluster.name) }

  list (): Json[] { return [...this.state.crdbs.values()].map(presentCrdb) }
  get (guid: string): Json { return presentCrdb(this.entry(guid)) }

  private entry (guid: string): CrdbEntry { return mustGet(this.state.crdbs, guid, crdbNotFound) }

  /** The other instances of the CRDB a member database belongs to (peer_stats). */
  peersOf (bdb: Bdb): Peer[] {
    for (const e of this.state.crdbs.values()) {
      if (e.bdbUid === bdb.uid && e.crdb.guid === bdb.crdt_guid) return remotesOf(e.crdb, e.localId).map(i => ({ id: i.id, name: i.cluster.name }))
    }
    return []
  }

  /** The member database (not a later one that reuses its uid after a DELETE /v1/bdbs). */
  private member (entry: CrdbEntry): Bdb | undefined {
    const bdb = entry.bdbUid === null ? undefined : this.state.bdbs.get(entry.bdbUid)
    return bdb?.crdt_guid === entry.crdb.guid ? bdb : undefined
  }

  /** 409 busy while the member database is changing (its previous change still pending). */
  private ready (entry: CrdbEntry): void {
    const bdb = this.member(entry)
    if (bdb !== undefined && bdb.status !== 'active') throw bdbBusy(bdb.uid, bdb.status)
  }

  /** Ids, defaults and the local instance of a CRDB body; 406 when the instances do not make one. */
  private normalize (body: Json, guid: string): { crdb: Crdb, localId: number } {
    const given = body.instances as Json[]
    const ids = new Set<number>()
    let next = Math.max(0, ...given.map(i => Number(i.id ?? 0)))
    const instances = given.map(i => {
      const id = i.id === undefined ? ++next : Number(i.id)
      if (ids.has(id)) throw invalidCrdbConfig(`Instance id ${id} is used twice`)
      ids.add(id)
      return sortKeys({ compression: DEFAULT_COMPRESSION, db_config: {}, ...structuredClone(i), db_uid: '', id }) as CrdbInstance
    })
    const names = instances.map(i => i.cluster.name)
    const twice = names.find((n, k) => names.indexOf(n) !== k)
    if (twice !== undefined) throw invalidCrdbConfig(`The cluster '${twice}' has two instances`)
    const local = instances.find(i => i.cluster.name === this.localName)
    if (local === undefined) {
      throw invalidCrdbConfig(`None of the instances is this cluster ('${this.localName}'): name one cluster.name after it`)
    }
    const supported = this.state.cluster.crdt_supported_featureset_version
    const crdb = sortKeys({
      causal_consistency: false,
      encryption: false,
      featureset_version: typeof supported === 'number' ? supported : 8,
      managed_by: '',
      modules: [],
      protocol_version: 1,
      ...structuredClone(body),
      guid,
      instances
    }) as unknown as Crdb
    const config = { ...crdb.default_db_config, ...local.db_config }
    if (config.memory_size === undefined) throw missingMemorySize()
    return { crdb, localId: local.id }
  }

  /** POST /v1/crdbs; from a coordinator with a known guid, the new configuration of that CRDB. */
  create (body: Json, { peer = false, dryRun = false, ttlSec }: CrdbWrite = {}): Json {
    const guid = typeof body.guid === 'string' ? body.guid.toLowerCase() : randomUUID()
    const existing = this.state.crdbs.get(guid)
    if (existing !== undefined && !peer) throw invalidCrdbConfig(`An Active-Active database with guid '${guid}' already exists`)
    const { crdb, localId } = this.normalize(body, guid)
    if (existing !== undefined) {
      if (existing.localId !== localId) throw invalidCrdbConfig('The instance of this cluster cannot change')
      return this.tasks.submit(guid, { kind: 'update', crdb, added: [], removed: [], forceRemove: false }, { peer, ttlSec })
    }
    this.bdbs.create(memberBody(crdb, localId, 1), { dryRun: true })
    if (dryRun) return presentCrdb({ crdb, version: 1, localId, bdbUid: null })
    return this.tasks.submit(guid, { kind: 'create', crdb }, { peer, ttlSec, localId })
  }

  /** PATCH /v1/crdbs/{guid}: the configuration (default_db_config, instances' db_config, ...). */
  patch (guid: string, body: Json, options: CrdbWrite = {}): Json {
    return this.modify(guid, { crdb: body }, options)
  }

  /** POST /v1/crdbs/{guid}/updates: configuration, instances added and removed. */
  modify (guid: string, body: Json, { peer = false, dryRun = false, ttlSec }: CrdbWrite = {}): Json {
    const entry = this.entry(guid)
    this.ready(entry)
    const change = (body.crdb ?? {}) as Json
    if (change.name !== undefined && change.name !== entry.crdb.name) throw invalidCrdbConfig('The name of an Active-Active database cannot change')
    if (change.guid !== undefined && change.guid !== guid) throw invalidCrdbConfig('The guid of an Active-Active database cannot change')
    const crdb = structuredClone(entry.crdb)
    const { instances: instanceChanges, default_db_config: defaults, ...top } = change
    Object.assign(crdb, structuredClone(top))
    if (defaults !== undefined) crdb.default_db_config = { ...crdb.default_db_config, ...structuredClone(defaults as Json) }
    for (const c of (instanceChanges ?? []) as Json[]) {
      const target = crdb.instances.find(i => i.id === c.id)
      if (target === undefined) throw crdbInstanceNotFound(Number(c.id))
      if (c.compression !== undefined) target.compression = Number(c.compression)
      if (c.db_config !== undefined) target.db_config = { ...target.db_config, ...structuredClone(c.db_config as Json) }
    }
    const removedIds = (body.remove_instances ?? []) as number[]
    for (const id of removedIds) {
      if (!crdb.instances.some(i => i.id === id)) throw crdbInstanceNotFound(id)
      if (id === entry.localId) throw invalidCrdbConfig('This cluster\'s own instance cannot be removed here: remove it from another participant')
    }
    const removed = crdb.instances.filter(i => removedIds.includes(i.id))
    // New instances never take the id of a removed one (its data may still be around).
    let next = Math.max(0, ...crdb.instances.map(i => i.id))
    const added = ((body.add_instances ?? []) as Json[]).map(i => i.id === undefined ? { ...i, id: ++next } : i)
    const merged = this.normalize({ ...crdb, instances: [...crdb.instances.filter(i => !removedIds.includes(i.id)), ...added] }, guid)
    if (dryRun) return presentCrdb({ ...entry, crdb: merged.crdb })
    const addedIds = merged.crdb.instances.filter(i => !crdb.instances.some(o => o.id === i.id)).map(i => i.id)
    return this.tasks.submit(guid, { kind: 'update', crdb: merged.crdb, added: addedIds, removed, forceRemove: body.force_remove === true }, { peer, ttlSec })
  }

  /** DELETE: from a coordinator also while the member is changing (it goes once it settles). */
  delete (guid: string, options: CrdbWrite = {}): Json {
    const entry = this.entry(guid)
    if (options.peer !== true) this.ready(entry)
    return this.tasks.submit(guid, { kind: 'delete' }, options)
  }

  flush (guid: string, options: CrdbWrite = {}): Json {
    this.ready(this.entry(guid))
    return this.tasks.submit(guid, { kind: 'flush' }, options)
  }

  /** PUT /v1/crdbs/{guid}/purge: drops this cluster's copy; run on the instance removed by force. */
  purge (guid: string, instances: number[], options: CrdbWrite = {}): Json {
    const entry = this.entry(guid)
    for (const id of instances) if (!entry.crdb.instances.some(i => i.id === id)) throw crdbInstanceNotFound(id)
    if (!instances.includes(entry.localId)) throw invalidCrdbConfig(`Purge runs on the removed instance itself: list this cluster's instance (${entry.localId})`)
    this.ready(entry)
    return this.tasks.submit(guid, { kind: 'purge' }, { ...options, peer: true })
  }

  upgrade (guid: string, body: Json, options: CrdbWrite = {}): Json {
    const entry = this.entry(guid)
    this.ready(entry)
    if (typeof body.redis_version === 'string') fullVersion(this.state, body.redis_version)
    return this.tasks.submit(guid, { kind: 'upgrade', body }, options)
  }

  healthReport (guid: string): Json[] {
    const entry = this.entry(guid)
    return healthReport(entry, this.localName, this.member(entry))
  }

  /** The local part of a change, once the other clusters took theirs (throws an ApiError to fail the task). */
  private apply (guid: string, op: CrdbOp): void {
    const { state } = this
    if (op.kind === 'create') {
      const localId = op.crdb.instances.find(i => i.cluster.name === this.localName)?.id ?? 0
      const bdb = this.bdbs.create(memberBody(op.crdb, localId, 1))
      state.crdbs.set(guid, { crdb: op.crdb, version: 1, localId, bdbUid: bdb.uid })
      return
    }
    const entry = this.entry(guid)
    const bdb = this.member(entry)
    switch (op.kind) {
      case 'update': {
        const version = entry.version + 1
        if (bdb !== undefined) this.bdbs.update(bdb.uid, this.memberChanges(entry, op.crdb, version))
        Object.assign(entry, { crdb: op.crdb, version })
        break
      }
      case 'upgrade': {
        const v = op.body.redis_version
        if (bdb !== undefined) this.bdbs.update(bdb.uid, typeof v === 'string' ? { redis_version: v } : {})
        if (typeof v === 'string') entry.crdb.default_db_config = { ...entry.crdb.default_db_config, redis_version: v }
        break
      }
      case 'flush':
        if (bdb !== undefined) this.bdbs.flush(bdb.uid)
        break
      case 'delete':
      case 'purge':
        if (bdb !== undefined) this.dropMember(bdb.uid, guid)
        state.crdbs.delete(guid)
    }
  }

  /** Deletes the member database, or once it is active if it is changing (a join undone early). */
  private dropMember (uid: number, guid: string): void {
    const bdb = this.state.bdbs.get(uid)
    if (bdb === undefined || bdb.crdt_guid !== guid || bdb.status === 'delete-pending') return
    if (bdb.status === 'active') {
      this.bdbs.delete(uid)
      return
    }
    this.core.schedule(() => {
      this.dropMember(uid, guid)
      this.core.changed()
    })
  }

  /** What a new configuration changes on the member database (its own config and the crdt fields). */
  private memberChanges (entry: CrdbEntry, crdb: Crdb, version: number): Json {
    const next = memberBody(crdb, entry.localId, version)
    const before = memberBody(entry.crdb, entry.localId, entry.version)
    const { crdt_sources: sources, ...rest } = next
    const changes: Json = {}
    for (const [k, v] of Object.entries(rest)) if (k !== 'name' && JSON.stringify(before[k]) !== JSON.stringify(v)) changes[k] = v
    // Sources kept by uid keep their sync state (replication.ts).
    changes.crdt_sources = (sources as Array<Json & { uid: number }>).map(s => ({ ...s }))
    return changes
  }
}
