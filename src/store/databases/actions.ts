// Async operations as GET /v1/actions, /v2/actions and /v1/actions/bdb/{uid} report them
// (docs/rs-api-notes.md §5.8). Completed ones are kept, the oldest dropped beyond MAX_KEPT.
import { randomUUID } from 'node:crypto'
import { actionNotFound } from '../../base/errors.js'
import type { ActionRecord, Core, Json } from '../kernel/index.js'
import { firstNode } from './bdb-layout.js'

const MAX_KEPT = 1000

// v1 state machines say pending/active where tasks and v2 say queued/running.
const SM_STATUS: Record<ActionRecord['phase'], string> = { queued: 'pending', running: 'active', completed: 'completed', failed: 'failed' }
const seconds = (ms: number): number => Math.floor(ms / 1000)

export interface StartAction {
  kind: ActionRecord['kind']
  name: string
  bdbUid: number
  step?: string
}

export class Actions {
  constructor (private readonly core: Core) {}

  /** Records a running action; `finish` marks it completed. */
  start ({ kind, name, bdbUid, step }: StartAction): ActionRecord {
    const now = this.core.now()
    const node = firstNode(this.core.state)
    const record: ActionRecord = {
      uid: randomUUID(),
      kind,
      name,
      objectName: `bdb:${bdbUid}`,
      bdbUid,
      nodeUid: String(node?.uid ?? 1),
      phase: 'running',
      progress: 0,
      step,
      createdMs: now,
      heartbeatMs: now
    }
    const list = this.core.state.actions
    list.push(record)
    if (list.length > MAX_KEPT) list.splice(0, list.length - MAX_KEPT)
    return record
  }

  /** Jobs hold the uid, never the record: a reset or a rollback may swap the objects. */
  finish (uid: string, phase: 'completed' | 'failed' = 'completed'): void {
    const record = this.core.state.actions.find(a => a.uid === uid)
    if (record === undefined) return
    record.phase = phase
    record.progress = 100
    record.step = undefined
    record.heartbeatMs = this.core.now()
  }

  private find (uid: string): ActionRecord {
    const found = this.core.state.actions.find(a => a.uid === uid)
    if (found === undefined) throw actionNotFound(uid)
    return found
  }

  /** GET /v1/actions: tasks and state machines apart, with the v1 field types. */
  listV1 (): Json {
    const all = this.core.state.actions
    return {
      actions: all.filter(a => a.kind === 'task').map(v1Task),
      'state-machines': all.filter(a => a.kind === 'state-machine').map(v1StateMachine)
    }
  }

  getV1 (uid: string): Json {
    const a = this.find(uid)
    return a.kind === 'task' ? v1Task(a) : v1StateMachine(a)
  }

  listV2 (): Json[] { return this.core.state.actions.map(v2) }

  getV2 (uid: string): Json { return v2(this.find(uid)) }

  /** The state machines that ran on one database (the caller checks the database exists). */
  forBdb (bdbUid: number): Json[] {
    return this.core.state.actions.filter(a => a.kind === 'state-machine' && a.bdbUid === bdbUid).map(v1StateMachine)
  }
}

// The capture writes a task's creation_time and progress as strings ("1760400087", "100").
function v1Task (a: ActionRecord): Json {
  return {
    action_uid: a.uid,
    creation_time: String(seconds(a.createdMs)),
    name: a.name,
    node_uid: a.nodeUid,
    progress: String(a.progress),
    status: a.phase,
    task_id: a.uid
  }
}

// A finished state machine has the captured five keys; a running one adds pending_ops,
// progress and state like the docs' /v1/actions/bdb example.
function v1StateMachine (a: ActionRecord): Json {
  const done = a.phase === 'completed' || a.phase === 'failed'
  return {
    action_uid: a.uid,
    heartbeat: seconds(a.heartbeatMs),
    name: a.name,
    object_name: a.objectName,
    ...(done ? {} : { pending_ops: {}, progress: a.progress, state: a.step ?? 'running' }),
    status: SM_STATUS[a.phase]
  }
}

function v2 (a: ActionRecord): Json {
  return {
    action_type: a.kind,
    action_uid: a.uid,
    additional_info: { object_type: 'bdb', object_uid: String(a.bdbUid ?? '') },
    creation_time: seconds(a.createdMs),
    name: a.name,
    progress: a.progress,
    status: a.phase
  }
}
