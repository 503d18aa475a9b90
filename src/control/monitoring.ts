// Test control of the monitoring surface: make a database unavailable, lagging or slow, give it
// traffic, keys or a metric value, take the cluster's quorum away, raise or clear an alert.
// Stats, alerts and availability answers follow at once. Register it inside the control API's
// authenticated scope with `insideControlAuth: true`; without that flag (registered anywhere
// else) its routes stay behind the RS front door and need an admin login.
import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import type { Json, Store } from '../store/index.js'
import type { BdbMonitor, HealthUpdate, LoadUpdate } from '../store/monitoring/index.js'
import { bool, int, num, nullable, obj, strEnum, type SchemaObject } from '../schemas/index.js'
import { UID, uidOf } from '../routes/params.js'

export interface MonitoringControlOptions { store: Store, insideControlAuth?: boolean }

const healthSchema = obj({
  unavailable: nullable(strEnum('shard_unreachable', 'endpoint_unavailable')),
  lag_ms: int(0),
  latency_ms: num({ minimum: 0 })
})
const loadSchema = obj({
  ops_per_sec: num({ minimum: 0 }),
  no_of_keys: int(0),
  metrics: { type: 'object', additionalProperties: nullable(num({ minimum: 0 })) }
})
const quorumSchema = obj({ quorum: bool() }, ['quorum'])
const alertSchema: SchemaObject = obj({
  state: bool(),
  severity: strEnum('DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'),
  change_value: { type: 'object' }
})

type Uid = { uid: string }
type Alert = { alert: string }
interface RaiseBody { state?: boolean, severity?: string, change_value?: Json }

const present = (uid: number, m: BdbMonitor): Json => ({
  uid,
  unavailable: m.unavailable,
  lag_ms: m.lag_ms,
  latency_ms: m.latency_ms,
  ops_per_sec: m.ops_per_sec,
  no_of_keys: m.no_of_keys,
  metrics: m.metrics,
  changed_at: m.changed_at
})

export default async function monitoringControl (app: FastifyInstance, { store, insideControlAuth }: MonitoringControlOptions): Promise<void> {
  const config: FastifyContextConfig = insideControlAuth === true ? { access: 'control' } : { permission: 'update_cluster' }
  const { health, alerts } = store
  app.get<{ Params: Uid }>(`/_mock/bdbs/${UID}/health`, { config },
    async req => present(uidOf(req), health.monitor(store.bdbs.get(uidOf(req)))))
  app.put<{ Params: Uid, Body: HealthUpdate }>(`/_mock/bdbs/${UID}/health`, { config, schema: { body: healthSchema } },
    async req => present(uidOf(req), health.setHealth(uidOf(req), req.body ?? {})))
  app.put<{ Params: Uid, Body: LoadUpdate }>(`/_mock/bdbs/${UID}/load`, { config, schema: { body: loadSchema } },
    async req => present(uidOf(req), health.setLoad(uidOf(req), req.body ?? {})))
  // Healthy and idle again, every override dropped.
  app.delete<{ Params: Uid }>(`/_mock/bdbs/${UID}/health`, { config },
    async req => present(uidOf(req), health.clear(uidOf(req))))

  app.get('/_mock/cluster/health', { config }, async () => ({ quorum: health.quorum }))
  app.put<{ Body: { quorum: boolean } }>('/_mock/cluster/health', { config, schema: { body: quorumSchema } }, async req => {
    health.setQuorum(req.body.quorum)
    return { quorum: health.quorum }
  })

  const raise = (body: RaiseBody | undefined, clear: boolean) => ({
    state: clear ? false : body?.state ?? true,
    severity: body?.severity,
    change_value: body?.change_value
  })
  app.put<{ Params: Alert, Body?: RaiseBody }>('/_mock/alerts/cluster/:alert', { config, schema: { body: alertSchema } },
    async req => alerts.raise('cluster', null, req.params.alert, raise(req.body, false)))
  app.delete<{ Params: Alert }>('/_mock/alerts/cluster/:alert', { config },
    async req => alerts.raise('cluster', null, req.params.alert, raise(undefined, true)))
  app.put<{ Params: Uid & Alert, Body?: RaiseBody }>(`/_mock/alerts/nodes/${UID}/:alert`, { config, schema: { body: alertSchema } },
    async req => alerts.raise('node', uidOf(req), req.params.alert, raise(req.body, false)))
  app.delete<{ Params: Uid & Alert }>(`/_mock/alerts/nodes/${UID}/:alert`, { config },
    async req => alerts.raise('node', uidOf(req), req.params.alert, raise(undefined, true)))
  app.put<{ Params: Uid & Alert, Body?: RaiseBody }>(`/_mock/alerts/bdbs/${UID}/:alert`, { config, schema: { body: alertSchema } },
    async req => alerts.raise('bdb', uidOf(req), req.params.alert, raise(req.body, false)))
  app.delete<{ Params: Uid & Alert }>(`/_mock/alerts/bdbs/${UID}/:alert`, { config },
    async req => alerts.raise('bdb', uidOf(req), req.params.alert, raise(undefined, true)))
}
