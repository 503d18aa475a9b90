// Alerts (docs/rs-api-notes.md §5.12): maps keyed by alert name, collections keyed by uid string.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { Permission } from '../base/permissions.js'
import { bdbAlertNames } from '../store/monitoring/index.js'
import { bool, obj, str } from '../schemas/index.js'
import { isDryRun } from './present.js'
import { UID, uidOf } from './params.js'

interface Query { ignore_settings?: string }
type Uid = { uid: string }
type UidAlert = { uid: string, alert: string }

// POST body: alert name → {enabled, threshold}; an unknown alert or key is a schema error (400).
const updateSchema = obj(Object.fromEntries(bdbAlertNames.map(n => [n, obj({ enabled: bool(), threshold: str() })])))
const querystring = { type: 'object', properties: { ignore_settings: { type: 'string', enum: ['true', 'false', '1', '0'] } } }
const view = (permission: Permission) => ({ config: { permission }, schema: { querystring } })
const ignore = (q: Query): boolean => q.ignore_settings === 'true' || q.ignore_settings === '1'

export default async function alertRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { alerts } = store
  app.get('/v1/cluster/alerts', view('view_cluster_alerts'), async () => alerts.clusterAlerts())
  app.get<{ Params: { alert: string } }>('/v1/cluster/alerts/:alert', view('view_cluster_alerts'),
    async req => alerts.clusterAlert(req.params.alert))

  app.get('/v1/nodes/alerts', view('view_all_nodes_alerts'), async () => alerts.nodesAlerts())
  app.get<{ Params: Uid }>(`/v1/nodes/alerts/${UID}`, view('view_node_alerts'),
    async req => alerts.nodeAlerts(uidOf(req)))
  app.get<{ Params: UidAlert }>(`/v1/nodes/alerts/${UID}/:alert`, view('view_node_alerts'),
    async req => alerts.nodeAlert(uidOf(req), req.params.alert))

  app.get<{ Querystring: Query }>('/v1/bdbs/alerts', view('view_all_bdbs_alerts'), async req => alerts.bdbsAlerts(ignore(req.query)))
  app.get<{ Params: Uid, Querystring: Query }>(`/v1/bdbs/alerts/${UID}`, view('view_bdb_alerts'),
    async req => alerts.bdbAlerts(uidOf(req), ignore(req.query)))
  app.get<{ Params: UidAlert, Querystring: Query }>(`/v1/bdbs/alerts/${UID}/:alert`, view('view_bdb_alerts'),
    async req => alerts.bdbAlert(uidOf(req), req.params.alert, ignore(req.query)))

  app.post<{ Params: Uid, Body: Record<string, { enabled?: boolean, threshold?: string }>, Querystring: { dry_run?: string } }>(
    `/v1/bdbs/alerts/${UID}`, { config: { permission: 'update_bdb_alerts' }, schema: { body: updateSchema } },
    async req => alerts.updateBdbAlerts(uidOf(req), req.body, isDryRun(req.query)))
}
