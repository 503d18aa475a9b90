// Alerts of a database's sync sources (docs/rs-api-notes.md §5.12): /v1/bdbs/replica_sources/alerts and
// /v1/bdbs/crdt_sources/alerts. Evaluated from each source's status when asked; enabled by the
// cluster's alert_settings entry bdb_<alert>.
import type { Bdb } from '../schemas/bdb.js'
import { alertNotFound, bdbNotFound, notFoundSource } from '../base/errors.js'
import type { Core } from './core.js'
import type { Json } from './state.js'
import { mustGet } from './collection.js'

export type SourceKind = 'replica' | 'crdt'

const DEFAULT_LAG_THRESHOLD = '10'

export class SourceAlerts {
  constructor (private readonly core: Core) {}

  /** Every database's sources' alerts, by database uid then source id. */
  all (kind: SourceKind): Json {
    return Object.fromEntries([...this.core.state.bdbs.values()].map(b => [String(b.uid), this.ofBdb(b, kind)]))
  }

  forBdb (uid: number, kind: SourceKind): Json { return this.ofBdb(mustGet(this.core.state.bdbs, uid, bdbNotFound), kind) }

  forSource (uid: number, kind: SourceKind, sourceId: number): Json {
    const found = (this.forBdb(uid, kind) as Record<string, Json>)[String(sourceId)]
    if (found === undefined) throw notFoundSource(`${kind}_src`, sourceId)
    return found
  }

  one (uid: number, kind: SourceKind, sourceId: number, alert: string): Json {
    const alerts = this.forSource(uid, kind, sourceId)
    if (!Object.hasOwn(alerts, alert)) throw alertNotFound(alert)
    return alerts[alert] as Json
  }

  private ofBdb (bdb: Bdb, kind: SourceKind): Json {
    const sources = ((bdb as unknown as Json)[`${kind}_sources`] as Json[] | undefined) ?? []
    return Object.fromEntries(sources.map((s, i) => [String(typeof s.uid === 'number' ? s.uid : i + 1), this.render(bdb, kind, s)]))
  }

  private render (bdb: Bdb, kind: SourceKind, source: Json): Json {
    const error = String(source.last_error ?? '')
    const lag = Number(source.lag ?? 0)
    const since = String(source.last_update ?? bdb.created_time ?? this.core.nowIso())
    const settings = (this.core.state.cluster.alert_settings ?? {}) as Json
    const alert = (name: string, state: boolean, extra: Json = {}): [string, Json] => {
      const key = `${kind}_src_${name}`
      const setting = settings[`bdb_${key}`]
      const enabled = setting === true || (setting !== null && typeof setting === 'object' && (setting as Json).enabled === true)
      const threshold = typeof setting === 'object' && setting !== null && typeof (setting as Json).threshold === 'string' ? String((setting as Json).threshold) : undefined
      return [key, {
        change_time: since,
        change_value: { ...extra, state },
        enabled,
        severity: state ? 'WARNING' : 'INFO',
        state,
        ...(threshold !== undefined || name === 'high_syncer_lag' ? { threshold: threshold ?? DEFAULT_LAG_THRESHOLD } : {})
      }]
    }
    const threshold = Number(((settings[`bdb_${kind}_src_high_syncer_lag`] ?? {}) as Json).threshold ?? DEFAULT_LAG_THRESHOLD)
    return Object.fromEntries([
      alert('high_syncer_lag', lag > threshold, { lag }),
      alert('syncer_connection_error', /connect/i.test(error), error === '' ? {} : { last_error: error }),
      alert('syncer_general_error', error !== '' && !/connect/i.test(error), error === '' ? {} : { last_error: error })
    ])
  }
}
