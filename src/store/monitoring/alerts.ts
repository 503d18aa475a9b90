// /v1/cluster/alerts, /v1/nodes/alerts and /v1/bdbs/alerts (docs/rs-api-notes.md §5.12). Alerts are
// evaluated from the state when asked; cluster.alert_settings (and per-database settings set with
// POST /v1/bdbs/alerts/{uid}) decide `enabled`; a test can raise any alert (health.ts RaisedAlert).
import type { Bdb } from '../../schemas/bdb.js'
import { alertNotFound, bdbNotFound, invalidThreshold, nodeNotFound } from '../../base/errors.js'
import { mustGet, type Core, type Json } from '../kernel/index.js'
import type { BdbAlertSetting, Health, RaisedAlert } from './health.js'
import { bdbMetrics, type Node } from './stats-model.js'
import { r3, type Metrics } from './stats-series.js'
import { certificatesExpiringBefore } from '../settings/index.js'
import { memoryBalance } from '../topology/index.js'

export type Alert = Json & { change_time: string, change_value: Json, enabled: boolean, severity: string, state: boolean, threshold?: string }
type Ctx = Json & { state: boolean }

export const clusterAlertNames = [
  'cluster_ca_cert_about_to_expire', 'cluster_certs_about_to_expire', 'cluster_even_node_count', 'cluster_flash_overcommit',
  'cluster_inconsistent_rl_sw', 'cluster_internal_bdb', 'cluster_license_about_to_expire', 'cluster_multiple_nodes_down',
  'cluster_ocsp_query_failed', 'cluster_ocsp_status_revoked', 'cluster_ram_overcommit', 'cluster_too_few_nodes_for_replication'
] as const
export const nodeAlertNames = [
  'node_checks_error', 'node_cpu_utilization', 'node_ephemeral_storage', 'node_failed', 'node_free_flash',
  'node_insufficient_disk_aofrw', 'node_internal_certs_about_to_expire', 'node_memory', 'node_net_throughput', 'node_persistent_storage'
] as const
/** node alert → default threshold (%), where cluster.alert_settings names none */
const NODE_DEFAULTS: Readonly<Record<string, string>> = { node_cpu_utilization: '80', node_memory: '80' }

/** bdb alert → default threshold: %, ms, seconds of lag, ops/s, ops/s, seconds late */
export const bdbAlertDefaults: Readonly<Record<string, string>> = {
  bdb_backup_delayed: '1800',
  bdb_high_latency: '5',
  bdb_high_syncer_lag: '10',
  bdb_high_throughput: '100000',
  bdb_low_throughput: '1',
  bdb_size: '80'
}
export const bdbAlertNames = Object.keys(bdbAlertDefaults)

const sorted = <T extends Json>(o: T): T => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a < b ? -1 : 1)) as T
// Alert names come from the URL: `__proto__` or `constructor` must not find an inherited property.
/** The alert NAME of a set (own keys only: `__proto__` is no alert), else 404 alert_not_found. */
const pick = (alerts: Record<string, Alert>, name: string): Alert => {
  if (!Object.hasOwn(alerts, name)) throw alertNotFound(name)
  return alerts[name]
}
const latest = (...times: Array<string | undefined>): string => times.filter((t): t is string => typeof t === 'string').sort().at(-1) ?? ''

export class Alerts {
  /** A node's metrics of the last second (the store wires the statistics in). */
  nodeNow?: (uid: number) => Metrics

  constructor (private readonly core: Core, private readonly health: Health) {}

  private get state () { return this.core.state }

  /** The cluster setting for an alert: a plain flag or {enabled, threshold}. */
  private setting (name: string): { enabled: boolean, threshold?: string } {
    const s = (this.state.cluster.alert_settings as Json | undefined)?.[name]
    if (typeof s === 'boolean') return { enabled: s }
    if (s !== null && typeof s === 'object') {
      const { enabled, threshold } = s as Json
      return { enabled: enabled === true, ...(typeof threshold === 'string' ? { threshold } : {}) }
    }
    return { enabled: false }
  }

  // Inactive alerts report INFO; an alert that is on reports its own severity (capture).
  private render (key: string, ctx: Ctx, enabled: boolean, since: string, severity = 'WARNING', threshold?: string): Alert {
    const raised: RaisedAlert | undefined = this.state.monitoring.alerts.get(key)
    const base: Alert = raised !== undefined
      ? { change_time: raised.change_time, change_value: sorted({ ...raised.change_value, state: raised.state }), enabled, severity: raised.severity, state: raised.state }
      : { change_time: since, change_value: sorted(ctx), enabled, severity: ctx.state ? severity : 'INFO', state: ctx.state }
    return threshold === undefined ? base : { ...base, threshold }
  }

  // ---- cluster

  private clusterContext (name: string): Ctx {
    const nodes = [...this.state.nodes.values()]
    const threshold = this.setting(name).threshold
    switch (name) {
      case 'cluster_ca_cert_about_to_expire': return { global_threshold: threshold ?? '90', state: false }
      case 'cluster_certs_about_to_expire': {
        const soon = certificatesExpiringBefore(this.state, this.core.now() + Number(threshold ?? '45') * 86_400_000)
        return { certs_about_to_expire: soon, global_threshold: threshold ?? '45', state: soon.length > 0 }
      }
      // the last OCSP answer cached (store/settings/ocsp.ts)
      case 'cluster_ocsp_status_revoked': return { state: this.state.ocspState.status?.cert_status === 'REVOKED' }
      // an odd number of nodes, at least three, keeps a quorum through one failure
      case 'cluster_even_node_count': return { node_count: nodes.length, state: nodes.length % 2 === 0 || nodes.length < 3 }
      case 'cluster_flash_overcommit': return { bdbs_committed_flash: 0, state: false }
      case 'cluster_internal_bdb': return { internal_bdb: '', state: false }
      case 'cluster_license_about_to_expire': {
        const days = Number(threshold ?? '7')
        const expires = Date.parse(String(this.state.license?.expiration_date ?? ''))
        return { global_threshold: threshold ?? '7', state: !Number.isNaN(expires) && expires - this.core.now() < days * 86_400_000 }
      }
      case 'cluster_multiple_nodes_down': {
        const dead = nodes.filter(n => (n.status ?? 'active') !== 'active').map(n => n.uid)
        return { dead_nodes: dead, state: dead.length > 1 }
      }
      case 'cluster_ram_overcommit': {
        // the same count the databases' insufficient_resources check makes (docs/decisions.md #61)
        const { needed, available } = memoryBalance(this.state)
        return { bdbs_committed_ram: needed, state: needed > available }
      }
      case 'cluster_too_few_nodes_for_replication': return { state: nodes.length < 2 }
      default: return { state: false }
    }
  }

  clusterAlerts (): Record<string, Alert> {
    const since = String(this.state.cluster.created_time ?? this.core.nowIso())
    return Object.fromEntries(clusterAlertNames.map(name =>
      [name, this.render(`cluster::${name}`, this.clusterContext(name), this.setting(name).enabled, since)]))
  }

  clusterAlert (name: string): Alert { return pick(this.clusterAlerts(), name) }

  // ---- nodes

  private node (uid: number): Node { return mustGet(this.state.nodes, uid, nodeNotFound) }

  nodeAlerts (uid: number): Record<string, Alert> {
    const node = this.node(uid)
    const since = String(this.state.cluster.created_time ?? this.core.nowIso())
    return Object.fromEntries(nodeAlertNames.map(name => {
      const { enabled, threshold = NODE_DEFAULTS[name] } = this.setting(name)
      const ctx: Ctx = name === 'node_failed' ? { state: (node.status ?? 'active') !== 'active' } : { state: false }
      if (threshold !== undefined) ctx.global_threshold = threshold
      if (name === 'node_cpu_utilization' && this.nodeNow !== undefined && (node.status ?? 'active') === 'active') {
        const m = this.nodeNow(uid)
        const cpu = r3((Number(m.cpu_user) + Number(m.cpu_system)) * 100)
        ctx.cpu_util = cpu
        ctx.state = enabled && cpu > Number(threshold)
      }
      return [name, this.render(`node:${uid}:${name}`, ctx, enabled, since)]
    }))
  }

  nodesAlerts (): Record<string, Record<string, Alert>> {
    return Object.fromEntries([...this.state.nodes.keys()].map(uid => [String(uid), this.nodeAlerts(uid)]))
  }

  nodeAlert (uid: number, name: string): Alert { return pick(this.nodeAlerts(uid), name) }

  // ---- databases

  private bdb (uid: number): Bdb { return mustGet(this.state.bdbs, uid, bdbNotFound) }

  /** Per-database settings, else the cluster's alert_settings entry, else disabled at the default threshold. */
  bdbSettings (bdb: Bdb): Record<string, BdbAlertSetting> {
    const own = this.state.monitoring.bdbAlertSettings.get(bdb.uid)
    const mine = own !== undefined && own.bdb_created === bdb.created_time ? own.settings : {}
    return Object.fromEntries(bdbAlertNames.map(name => {
      const cluster = this.setting(name)
      return [name, mine[name] ?? { enabled: cluster.enabled, threshold: cluster.threshold ?? bdbAlertDefaults[name] }]
    }))
  }

  /** Threshold alerts are evaluated while enabled, or always with ?ignore_settings=true. */
  private renderBdb (bdb: Bdb, settings: Record<string, BdbAlertSetting>, ignoreSettings: boolean): Record<string, Alert> {
    const m = this.health.monitor(bdb)
    const now = Math.floor(this.core.now() / 1000) * 1000
    const sample = bdbMetrics(bdb, m, now - 1000, 1000)
    const own = this.state.monitoring.bdbAlertSettings.get(bdb.uid)
    const since = latest(bdb.created_time, m.changed_at, own?.bdb_created === bdb.created_time ? own.changed_at : undefined)
    const values: Record<string, [string, number, (v: number, t: number) => boolean]> = {
      bdb_high_latency: ['latency', r3(Number(sample.avg_latency ?? 0) * 1000), (v, t) => v > t],
      bdb_high_syncer_lag: ['lag', r3(m.lag_ms / 1000), (v, t) => v > t],
      bdb_high_throughput: ['throughput', Number(sample.total_req), (v, t) => v > t],
      bdb_low_throughput: ['throughput', Number(sample.total_req), (v, t) => v < t],
      bdb_size: ['memory_util', r3(Number(sample.used_memory) / bdb.memory_size * 100), (v, t) => v > t]
    }
    return Object.fromEntries(bdbAlertNames.map(name => {
      const { enabled, threshold } = settings[name]
      const ctx: Ctx = { state: false, threshold }
      const measure = values[name]
      if (measure !== undefined) {
        // the measure always shows (the pages' examples); it raises the alert only when evaluated
        const [label, v, over] = measure
        ctx[label] = v
        if (enabled || ignoreSettings) ctx.state = over(v, Number(threshold))
      }
      return [name, this.render(`bdb:${bdb.uid}:${name}`, ctx, enabled, since, 'WARNING', threshold)]
    }))
  }

  bdbAlerts (uid: number, ignoreSettings = false): Record<string, Alert> {
    const bdb = this.bdb(uid)
    return this.renderBdb(bdb, this.bdbSettings(bdb), ignoreSettings)
  }

  bdbsAlerts (ignoreSettings = false): Record<string, Record<string, Alert>> {
    return Object.fromEntries([...this.state.bdbs.keys()].map(uid => [String(uid), this.bdbAlerts(uid, ignoreSettings)]))
  }

  bdbAlert (uid: number, name: string, ignoreSettings = false): Alert { return pick(this.bdbAlerts(uid, ignoreSettings), name) }

  /** POST /v1/bdbs/alerts/{uid}: merge the settings; with dry_run, answer as if merged. */
  updateBdbAlerts (uid: number, body: Record<string, Partial<BdbAlertSetting>>, dryRun = false): Record<string, Alert> {
    const bdb = this.bdb(uid)
    const settings = structuredClone(this.bdbSettings(bdb))
    for (const [name, change] of Object.entries(body)) {
      const merged = { ...settings[name], ...change }
      // A disabled alert may leave its threshold empty, as the page's example does; an enabled one may not.
      const t = merged.enabled === true ? merged.threshold : change.threshold
      if (t !== undefined && !(t === '' && merged.enabled !== true) && (!/^\d+(\.\d+)?$/.test(t) || (name === 'bdb_size' && Number(t) > 100))) {
        throw invalidThreshold(`Invalid threshold '${t}' for ${name}: a non-negative number${name === 'bdb_size' ? ' up to 100 (%)' : ''}`)
      }
      settings[name] = merged
    }
    if (dryRun) return this.renderBdb(bdb, settings, false)
    this.state.monitoring.bdbAlertSettings.set(uid, { bdb_created: bdb.created_time, changed_at: this.core.nowIso(), settings })
    this.core.changed()
    return this.bdbAlerts(uid)
  }

  /** Raise (state true) or clear an alert, whatever its settings say; unknown names are refused. */
  raise (scope: 'cluster' | 'node' | 'bdb', uid: number | null, name: string, alert: { state: boolean, severity?: string, change_value?: Json }): Alert {
    const names: readonly string[] = scope === 'cluster' ? clusterAlertNames : scope === 'node' ? nodeAlertNames : bdbAlertNames
    if (scope === 'node') this.node(uid ?? 0)
    if (scope === 'bdb') this.bdb(uid ?? 0)
    if (!names.includes(name)) throw alertNotFound(name)
    const key = `${scope}:${uid ?? ''}:${name}`
    if (alert.state) {
      this.state.monitoring.alerts.set(key, {
        state: true, severity: alert.severity ?? 'WARNING', change_time: this.core.nowIso(), change_value: alert.change_value ?? {}
      })
    } else {
      this.state.monitoring.alerts.delete(key)
    }
    this.core.changed()
    return scope === 'cluster' ? this.clusterAlert(name) : scope === 'node' ? this.nodeAlert(uid!, name) : this.bdbAlert(uid!, name)
  }
}
