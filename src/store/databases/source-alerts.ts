// /v1/bdbs/replica_sources/alerts and /v1/bdbs/crdt_sources/alerts (docs/rs-api-notes.md §5.12): the alerts
// of a database's sync sources, evaluated from each source's status and lag. Settings come from
// the cluster's alert_settings (`bdb_replica_src_...`, `bdb_crdt_src_...`); connection errors are
// reported whatever the settings say, like node_failed (docs/decisions.md #34).
import type { Bdb } from '../../schemas/bdb.js'
import { alertNotFound, bdbNotFound, syncSourceNotFound } from '../../base/errors.js'
import { mustGet, sortKeys, type Core, type Json } from '../kernel/index.js'
import type { Alert } from '../monitoring/index.js'
import { sourcesOf, type Replication, type SourceKind, type SyncSource } from './replication.js'

const PREFIX = { replica: 'replica_src', crdt: 'crdt_src' } as const
const DEFAULT_LAG_THRESHOLD = '1'

export const sourceAlertNames = (kind: SourceKind): string[] =>
  ['syncer_connection_error', 'high_syncer_lag', 'syncer_general_error'].map(n => `${PREFIX[kind]}_${n}`)

export class SourceAlerts {
  constructor (private readonly core: Core, private readonly replication: Replication) {}

  private setting (name: string): { enabled: boolean, threshold?: string } {
    const s = (this.core.state.cluster.alert_settings as Json | undefined)?.[`bdb_${name}`]
    if (typeof s === 'boolean') return { enabled: s }
    if (s !== null && typeof s === 'object') {
      const { enabled, threshold } = s as Json
      return { enabled: enabled === true, ...(typeof threshold === 'string' ? { threshold } : {}) }
    }
    return { enabled: false }
  }

  private render (bdb: Bdb, s: SyncSource, name: string): Alert {
    const { enabled, threshold } = this.setting(name)
    const ctx: Json & { state: boolean } = { state: false }
    if (name.endsWith('_syncer_connection_error')) {
      // the pages' examples show a threshold on this alert too: the setting's, empty without one
      ctx.threshold = threshold ?? ''
      ctx.state = s.status === 'out-of-sync'
      if (ctx.state) ctx.last_error = s.last_error
    } else if (name.endsWith('_high_syncer_lag')) {
      const limit = threshold ?? DEFAULT_LAG_THRESHOLD
      ctx.threshold = limit
      ctx.lag = this.replication.lagMs(bdb, s) / 1000
      ctx.state = enabled && (ctx.lag as number) > Number(limit)
    }
    const alert: Alert = {
      change_time: String(s.last_update ?? bdb.last_changed_time),
      change_value: sortKeys(ctx),
      enabled,
      severity: ctx.state ? 'WARNING' : 'INFO',
      state: ctx.state
    }
    alert.threshold = String(ctx.threshold)
    return alert
  }

  private bdb (uid: number): Bdb { return mustGet(this.core.state.bdbs, uid, bdbNotFound) }

  /** One source's alerts by name. */
  private ofSource (bdb: Bdb, s: SyncSource, kind: SourceKind): Record<string, Alert> {
    return Object.fromEntries(sourceAlertNames(kind).map(n => [n, this.render(bdb, s, n)]))
  }

  /** A database's alerts by name (the docs' shape): each alert as its worst source has it. */
  private ofBdb (bdb: Bdb, kind: SourceKind): Record<string, Alert> {
    const out: Record<string, Alert> = {}
    for (const s of sourcesOf(bdb, kind)) {
      for (const [name, a] of Object.entries(this.ofSource(bdb, s, kind))) {
        if (out[name] === undefined || (a.state && !out[name].state)) out[name] = a
      }
    }
    return out
  }

  /** GET .../alerts: every database with sources of this kind, by uid string. */
  all (kind: SourceKind): Record<string, Record<string, Alert>> {
    const out: Record<string, Record<string, Alert>> = {}
    for (const bdb of this.core.state.bdbs.values()) {
      if (sourcesOf(bdb, kind).length > 0) out[String(bdb.uid)] = this.ofBdb(bdb, kind)
    }
    return out
  }

  bdbAlerts (uid: number, kind: SourceKind): Record<string, Alert> { return this.ofBdb(this.bdb(uid), kind) }

  sourceAlerts (uid: number, source: number, kind: SourceKind): Record<string, Alert> {
    const bdb = this.bdb(uid)
    const s = sourcesOf(bdb, kind).find(x => x.uid === source)
    if (s === undefined) throw syncSourceNotFound(source)
    return this.ofSource(bdb, s, kind)
  }

  sourceAlert (uid: number, source: number, name: string, kind: SourceKind): Alert {
    const alerts = this.sourceAlerts(uid, source, kind)
    if (!Object.hasOwn(alerts, name)) throw alertNotFound(name)
    return alerts[name]
  }
}
