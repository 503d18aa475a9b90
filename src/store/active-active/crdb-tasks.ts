// CRDB tasks (the RS docs' crdb_tasks requests and crdb_task object): queued → started, when the
// coordinator sends the change to the other clusters (a PeerTransport: network I/O stays out of
// here), then the local part is applied and the task is finished after the transition delay.
// A peer that fails fails the task with its error; peers that joined are asked to leave again.
import { randomUUID } from 'node:crypto'
import { crdbNotFound, crdbTaskNotFound, isApiError, taskNotCancellable } from '../../base/errors.js'
import { sortKeys, type Core, type Json } from '../kernel/index.js'
import {
  OPERATIONS, remotesOf, type CrdbEntry, type CrdbOp, type CrdbTaskEntry, type PeerOutcome, type PeerRequest, type PeerTransport
} from './crdb-model.js'

/** Ended tasks stay readable this long unless X-Result-TTL says otherwise (docs: 500 s). */
export const DEFAULT_TASK_TTL_SEC = 500
const MAX_TASKS = 1000

type TaskError = { cluster_name: string, description: string, error_code: string }

export class CrdbTasks {
  constructor (
    private readonly core: Core,
    private readonly transport: PeerTransport,
    private readonly apply: (guid: string, op: CrdbOp) => void,
    private readonly find: (guid: string) => CrdbEntry | undefined
  ) {
    // A state swapped in may hold tasks mid-way: queued ones start, ones whose peers were being
    // asked fail (the answers are lost), committed ones finish.
    core.onReset(() => {
      for (const t of core.state.crdbTasks.values()) {
        const id = t.task.id
        if (t.phase === 'queued') core.schedule(() => this.begin(id))
        if (t.phase === 'commit') core.schedule(() => this.finish(id))
        if (t.phase === 'peers') core.schedule(() => this.interrupted(id), 0)
      }
    })
  }

  private get local (): string { return String(this.core.state.cluster.name) }

  private present (t: CrdbTaskEntry): Json { return sortKeys({ ...t.task }) }

  private live (id: string): CrdbTaskEntry {
    const t = this.core.state.crdbTasks.get(id)
    if (t === undefined || (t.endedMs !== undefined && this.core.now() > t.endedMs + t.ttlSec * 1000)) throw crdbTaskNotFound(id)
    return t
  }

  /** GET /v1/crdb_tasks: the running tasks (docs); ended ones by id until their TTL (docs/decisions.md #38). */
  list (): Json[] {
    return [...this.core.state.crdbTasks.values()].filter(t => t.phase !== 'done').map(t => this.present(t))
  }

  get (id: string): Json { return this.present(this.live(id)) }

  /** A new task; from a peer's coordinator it is applied and finished at once (it throws if it cannot be). */
  submit (guid: string, op: CrdbOp, { peer = false, ttlSec = DEFAULT_TASK_TTL_SEC }: { peer?: boolean, ttlSec?: number, localId?: number }): Json {
    const { state } = this.core
    this.prune()
    const clusters = op.kind === 'create' ? op.crdb.instances : op.kind === 'update' ? op.crdb.instances : this.find(guid)?.crdb.instances ?? []
    const t: CrdbTaskEntry = {
      task: {
        crdb_guid: guid,
        id: randomUUID(),
        operation: OPERATIONS[op.kind],
        progress: { clusters: clusters.map(i => ({ name: i.cluster.name, progress: 'queued' })), worker: 'queued' },
        status: 'queued',
        worker_name: 'crdb_worker:1'
      },
      phase: 'queued',
      op,
      ttlSec
    }
    if (peer) {
      this.apply(guid, op)
      this.step(t, 'started')
      this.end(t, 'finished')
      state.crdbTasks.set(t.task.id, t)
      this.core.changed()
      return this.present(t)
    }
    state.crdbTasks.set(t.task.id, t)
    this.core.schedule(() => this.begin(t.task.id))
    this.core.changed()
    return this.present(t)
  }

  /** POST /v1/crdb_tasks/{id}/actions/cancel */
  cancel (id: string, force: boolean): Json {
    const t = this.live(id)
    if (t.phase === 'done') throw taskNotCancellable(id, `it already ${String(t.task.status)}`)
    if (t.phase === 'commit' && !force) throw taskNotCancellable(id, 'it reached the commit phase (force=true cancels it anyway)')
    this.fail(t, [{ cluster_name: this.local, description: 'The task was canceled', error_code: 'task_canceled' }])
    this.core.changed()
    return this.present(t)
  }

  private prune (): void {
    const tasks = this.core.state.crdbTasks
    const now = this.core.now()
    for (const [id, t] of tasks) if (t.endedMs !== undefined && now > t.endedMs + t.ttlSec * 1000) tasks.delete(id)
    for (const [id, t] of tasks) {
      if (tasks.size < MAX_TASKS) break
      if (t.phase === 'done') tasks.delete(id)
    }
  }

  private step (t: CrdbTaskEntry, status: string): void {
    t.task.status = status
    if (status === 'started') t.task.started = this.core.nowIso()
  }

  private end (t: CrdbTaskEntry, status: 'finished' | 'failed', errors?: TaskError[]): void {
    t.task.status = status
    t.task.ended = this.core.nowIso()
    if (errors !== undefined) t.task.errors = errors
    const progress = t.task.progress as { clusters: Array<{ name: string, progress: string }>, worker: string }
    const failed = new Set(errors?.map(e => e.cluster_name))
    for (const c of progress.clusters) c.progress = failed.has(c.name) ? 'failed' : status === 'finished' ? 'done' : c.progress
    progress.worker = status
    t.phase = 'done'
    t.endedMs = this.core.now()
  }

  private fail (t: CrdbTaskEntry, errors: TaskError[]): void { this.end(t, 'failed', errors) }

  /** The requests this task sends to the other clusters. */
  private requests (t: CrdbTaskEntry): PeerRequest[] {
    const guid = t.task.crdb_guid
    const { op } = t
    const origin = this.local
    const entry = this.find(guid)
    const localId = (op.kind === 'create' ? op.crdb : entry?.crdb)?.instances.find(i => i.cluster.name === origin)?.id ?? 0
    const to = (i: { id: number, cluster: PeerRequest['cluster'] }, method: PeerRequest['method'], path: string, body?: unknown) =>
      ({ instanceId: i.id, cluster: i.cluster, method, path, body, origin })
    if (op.kind === 'create') return remotesOf(op.crdb, localId).map(i => ({ ...to(i, 'POST', '/v1/crdbs', op.crdb), joins: true }))
    if (entry === undefined) throw crdbNotFound(guid)
    const path = `/v1/crdbs/${encodeURIComponent(guid)}`
    switch (op.kind) {
      case 'update': return [
        ...remotesOf(op.crdb, localId).map(i => ({ ...to(i, 'POST', '/v1/crdbs', op.crdb), joins: op.added.includes(i.id) })),
        ...op.removed.map(i => ({ ...to(i, 'DELETE', path), optional: op.forceRemove }))
      ]
      case 'delete': return remotesOf(entry.crdb, localId).map(i => to(i, 'DELETE', path))
      case 'flush': return remotesOf(entry.crdb, localId).map(i => to(i, 'PUT', `${path}/flush`))
      case 'upgrade': return remotesOf(entry.crdb, localId).map(i => to(i, 'POST', `${path}/upgrade`, op.body))
      case 'purge': return []
    }
  }

  private begin (id: string): void {
    const t = this.core.state.crdbTasks.get(id)
    if (t === undefined || t.phase !== 'queued') return
    let requests: PeerRequest[]
    try {
      requests = this.requests(t)
    } catch (e) {
      if (!isApiError(e)) throw e
      this.fail(t, [{ cluster_name: this.local, description: e.message, error_code: e.code }])
      this.core.changed()
      return
    }
    this.step(t, 'started')
    t.phase = 'peers'
    ;(t.task.progress as Json).worker = requests.length > 0 ? 'sending to clusters' : 'committing'
    this.core.changed()
    if (requests.length === 0) return this.peersDone(id, [], [])
    void this.transport(requests).then(
      outcomes => this.peersDone(id, requests, outcomes),
      (e: Error) => this.peersDone(id, requests, requests.map(() => ({ ok: false, error_code: 'cluster_unreachable', description: e.message }))))
  }

  /** The other clusters answered: fail with their errors, or apply the local part and finish after the delay. */
  private peersDone (id: string, requests: PeerRequest[], outcomes: PeerOutcome[]): void {
    const t = this.core.state.crdbTasks.get(id)
    const joined = requests.filter((r, k) => outcomes[k]?.ok === true && r.joins === true)
    try {
      if (t === undefined || t.phase !== 'peers') return this.leave(joined)
      const errors = requests.flatMap((r, k): TaskError[] => {
        const o = outcomes[k]
        if (o?.ok === true || r.optional === true || (r.method === 'DELETE' && o?.error_code === 'crdb_not_found')) return []
        return [{ cluster_name: r.cluster.name, description: o?.description ?? 'No answer', error_code: o?.error_code ?? 'cluster_unreachable' }]
      })
      if (errors.length === 0) {
        try {
          this.apply(t.task.crdb_guid, t.op)
        } catch (e) {
          if (!isApiError(e)) throw e
          errors.push({ cluster_name: this.local, description: e.message, error_code: e.code })
        }
      }
      if (errors.length > 0) {
        this.fail(t, errors)
        this.leave(joined)
      } else {
        t.phase = 'commit'
        ;(t.task.progress as Json).worker = 'committed'
        this.core.schedule(() => this.finish(id))
      }
      this.core.changed()
    } catch {
      // A change the state file refused was undone; a promise callback has nobody to tell.
    }
  }

  /** Asks the clusters that joined a failed task to drop their member again (best effort). */
  private leave (joined: PeerRequest[]): void {
    if (joined.length === 0) return
    const guid = (joined[0].body as { guid: string }).guid
    this.transport(joined.map(r => ({ ...r, method: 'DELETE', path: `/v1/crdbs/${encodeURIComponent(guid)}`, body: undefined, joins: false })))
      .catch(() => {})
  }

  private finish (id: string): void {
    const t = this.core.state.crdbTasks.get(id)
    if (t === undefined || t.phase !== 'commit') return
    this.end(t, 'finished')
    this.core.changed()
  }

  private interrupted (id: string): void {
    const t = this.core.state.crdbTasks.get(id)
    if (t === undefined || t.phase !== 'peers') return
    this.fail(t, [{ cluster_name: this.local, description: 'The task was interrupted when the state was replaced', error_code: 'task_interrupted' }])
    this.core.changed()
  }
}
