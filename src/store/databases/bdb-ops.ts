// Export, import and backup of a database's data (docs/rs-api-notes.md §5.7): each sets its *_status,
// *_progress and *_failure_reason fields and background_op, advances half-way, then succeeds
// or fails (a test arranges the failure) on the transition delay; the reset actions clear them
// (docs/decisions.md #42).
// Traffic stop/resume go through the database's own state machine (Bdbs.change).
import type { Bdb, ModuleRef } from '../../schemas/bdb.js'
import { badRequest, bdbBusy, bdbNotFound, missingField, unsupportedModuleCapabilities } from '../../base/errors.js'
import { mustGet, type Core, type Json } from '../kernel/index.js'
import type { Actions } from './actions.js'
import type { Bdbs } from './bdbs.js'
import { setSorted } from './bdb-layout.js'
import { checkLicenseActive } from './bdb-rules.js'
import type { BdbOperations, DataOperation } from './operations-state.js'

/** The failure reasons each operation documents (objects/bdb: *_failure_reason). */
export const FAILURE_REASONS: Record<DataOperation, readonly string[]> = {
  export: ['no-permission', 'wrong-file-path', 'general-error'],
  backup: ['no-permission', 'wrong-file-path', 'general-error'],
  import: ['download-error', 'file-corrupted', 'general-error', 'key-too-long', 'invalid-bulk-length', 'out-of-memory']
}

// export and backup write "" when idle (their enums have no idle value); import has 'idle'
const RUNNING: Record<DataOperation, string> = { export: 'exporting', backup: 'exporting', import: 'importing' }
// The reset pages: each *_reset_status sets the status "to idle" (a database never exported reads "").
const IDLE: Record<DataOperation, string> = { export: 'idle', backup: 'idle', import: 'idle' }
const LOGGED: Record<DataOperation, string> = { export: 'export', backup: 'backup', import: 'dataset_import' }

const field = (op: DataOperation, suffix: 'status' | 'progress' | 'failure_reason') => `${op}_${suffix}`
const statusOf = (bdb: Bdb, op: DataOperation): string => String((bdb as Json)[field(op, 'status')] ?? '')

export class BdbOps {
  constructor (private readonly core: Core, private readonly actions: Actions, private readonly bdbs: Bdbs) {
    // A state swapped in (reset, import, state file) may hold operations half-way: let them finish.
    core.onReset(() => {
      for (const bdb of core.state.bdbs.values()) {
        for (const op of ['export', 'import', 'backup'] as const) {
          const running = statusOf(bdb, op) === RUNNING[op] || (op === 'import' && statusOf(bdb, op) === 'initializing')
          if (!running) continue
          const action = core.state.actions.find(a => a.bdbUid === bdb.uid && a.name === op && a.phase === 'running')
          if (action !== undefined) core.schedule(() => this.finish(bdb.uid, op, action.uid))
        }
      }
    })
  }

  private get (uid: number): Bdb { return mustGet(this.core.state.bdbs, uid, bdbNotFound) }

  /** POST /v1/bdbs/{uid}/actions/export. */
  export (uid: number): void {
    this.start(this.startable(uid, 'export'), 'export')
  }

  /** POST /v1/bdbs/{uid}/actions/import: new sources are kept; none given reuses the stored ones. */
  import (uid: number, body: { dataset_import_sources?: Json[] } = {}): void {
    const bdb = this.startable(uid, 'import')
    const sources = body.dataset_import_sources ?? bdb.dataset_import_sources as Json[] | undefined ?? []
    if (sources.length === 0) throw missingField('dataset_import_sources')
    bdb.dataset_import_sources = structuredClone(sources)
    // the database itself is busy until the import ends (objects/bdb/status)
    bdb.status = 'import-pending'
    this.start(bdb, 'import')
  }

  /** A scheduled backup runs now (test control: RS has no on-demand backup endpoint). */
  backup (uid: number): void {
    const bdb = this.startable(uid, 'backup')
    if (bdb.backup_location === undefined) throw badRequest(`Database ${uid} has no backup_location to back up to`)
    this.start(bdb, 'backup')
  }

  /** PUT /v1/bdbs/{uid}/actions/{op}_reset_status: idle again unless it is running. */
  resetStatus (uid: number, op: DataOperation): void {
    checkLicenseActive(this.core.state, this.core.now())
    const bdb = this.get(uid)
    if (statusOf(bdb, op) === RUNNING[op] || statusOf(bdb, op) === 'initializing') throw bdbBusy(uid, `${op} in progress`)
    this.checkCapability(bdb)
    this.write(bdb, op, IDLE[op], 0, '')
    this.core.changed()
  }

  /** Test control: the next run of `op` on this database fails with `reason`. */
  failNext (uid: number, op: DataOperation, reason: string): BdbOperations {
    const bdb = this.get(uid)
    if (!FAILURE_REASONS[op].includes(reason)) {
      throw badRequest(`'${reason}' is not a ${op} failure reason; known: ${FAILURE_REASONS[op].join(', ')}`)
    }
    const entry = this.entry(bdb)
    entry.fail_next = { ...entry.fail_next, [op]: reason }
    this.core.changed()
    return structuredClone(entry)
  }

  /** POST .../stop_traffic and .../resume_traffic: the flag is set at once, the state machine completes later. */
  traffic (uid: number, stopped: boolean): { action_uid: string } {
    const bdb = this.bdbs.change(uid, stopped ? 'SMStopTraffic' : 'SMResumeTraffic', b => {
      setSorted(b, 'traffic_manually_disabled', stopped)
    })
    this.core.log(stopped ? 'bdb_traffic_stopped' : 'bdb_traffic_resumed', { bdb_uid: String(uid) })
    return { action_uid: String(bdb.action_uid) }
  }

  /** This database's entry of the operations state (made on first use). */
  entry (bdb: Bdb): BdbOperations {
    const map = this.core.state.operations.bdbs
    let e = map.get(bdb.uid)
    if (e === undefined || e.bdb_created !== bdb.created_time) map.set(bdb.uid, e = { bdb_created: bdb.created_time })
    return e
  }

  private startable (uid: number, op: DataOperation): Bdb {
    checkLicenseActive(this.core.state, this.core.now())
    const bdb = this.get(uid)
    if (bdb.status !== 'active') throw bdbBusy(uid, bdb.status)
    if (statusOf(bdb, op) === RUNNING[op]) throw bdbBusy(uid, `${op} in progress`)
    this.checkCapability(bdb)
    return bdb
  }

  /** Every loaded module must be able to save and load its data (406 otherwise, as documented). */
  private checkCapability (bdb: Bdb): void {
    for (const ref of bdb.module_list as ModuleRef[]) {
      const mod = this.core.state.modules.find(m => m.uid === ref.module_id)
      const caps = (mod?.capabilities as string[] | undefined) ?? []
      if (mod !== undefined && !caps.includes('backup_restore')) {
        throw unsupportedModuleCapabilities(`Module '${ref.module_name}' ${ref.semantic_version} does not support 'backup_restore'`)
      }
    }
  }

  private start (bdb: Bdb, op: DataOperation): void {
    const action = this.actions.start({ kind: 'other', name: op, bdbUid: bdb.uid })
    this.write(bdb, op, op === 'import' ? 'initializing' : RUNNING[op], 0, '')
    bdb.background_op = [{ name: op, progress: 0, status: 'running' }]
    bdb.last_changed_time = this.core.nowIso()
    this.core.log(`${LOGGED[op]}_started`, { bdb_uid: String(bdb.uid) })
    const half = Math.floor(this.core.timing.transitionDelayMs / 2)
    this.core.schedule(() => this.advance(bdb.uid, op, action.uid), half)
    this.core.schedule(() => this.finish(bdb.uid, op, action.uid))
    this.core.changed()
  }

  private current (uid: number, actionUid: string): Bdb | undefined {
    const bdb = this.core.state.bdbs.get(uid)
    const action = this.core.state.actions.find(a => a.uid === actionUid)
    return bdb !== undefined && action?.phase === 'running' ? bdb : undefined
  }

  private advance (uid: number, op: DataOperation, actionUid: string): void {
    const bdb = this.current(uid, actionUid)
    if (bdb === undefined) return
    const action = this.core.state.actions.find(a => a.uid === actionUid)!
    action.progress = 50
    action.heartbeatMs = this.core.now()
    this.write(bdb, op, RUNNING[op], 50, '')
    bdb.background_op = [{ name: op, progress: 50, status: 'running' }]
    this.core.changed()
  }

  private finish (uid: number, op: DataOperation, actionUid: string): void {
    const bdb = this.current(uid, actionUid)
    if (bdb === undefined) return
    const entry = this.entry(bdb)
    const reason = entry.fail_next?.[op]
    if (reason !== undefined) delete entry.fail_next![op]
    if (op === 'import') bdb.status = 'active'
    const progress = Number((bdb as Json)[field(op, 'progress')] ?? 0)
    if (reason !== undefined) {
      this.write(bdb, op, 'failed', progress, reason)
      this.actions.finish(actionUid, 'failed')
      this.core.log(`${LOGGED[op]}_failed`, { bdb_uid: String(uid), reason }, 'ERROR')
    } else {
      this.write(bdb, op, 'succeeded', 100, '')
      if (op !== 'import') setSorted(bdb, op === 'export' ? 'last_export_time' : 'last_backup_time', this.core.nowIso())
      this.actions.finish(actionUid)
      this.core.log(`${LOGGED[op]}_succeeded`, { bdb_uid: String(uid) })
    }
    // docs/decisions.md #23: a settled database reads idle; the outcome is in the *_status fields
    bdb.background_op = [{ status: 'idle' }]
    this.core.changed()
  }

  private write (bdb: Bdb, op: DataOperation, status: string, progress: number, reason: string): void {
    setSorted(bdb, field(op, 'status'), status)
    setSorted(bdb, field(op, 'progress'), progress)
    setSorted(bdb, field(op, 'failure_reason'), reason)
  }
}
