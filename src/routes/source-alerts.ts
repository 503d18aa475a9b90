// The alerts of databases' Replica Of and Active-Active sync sources (docs/rs-api-notes.md §5.12).
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { SourceKind } from '../store/source-alerts.js'

type Params = { uid: string, src: string, alert: string }

export default async function sourceAlertRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const alerts = store.sourceAlerts
  for (const kind of ['replica', 'crdt'] as SourceKind[]) {
    const base = `/v1/bdbs/${kind}_sources/alerts`
    app.get(base, { config: { permission: 'view_all_bdbs_alerts' } }, async () => alerts.all(kind))
    app.get<{ Params: Params }>(`${base}/:uid(^\\d+$)`, { config: { permission: 'view_bdb_alerts' } },
      async req => alerts.forBdb(Number(req.params.uid), kind))
    app.get<{ Params: Params }>(`${base}/:uid(^\\d+$)/:src(^\\d+$)`, { config: { permission: 'view_bdb_alerts' } },
      async req => alerts.forSource(Number(req.params.uid), kind, Number(req.params.src)))
    app.get<{ Params: Params }>(`${base}/:uid(^\\d+$)/:src(^\\d+$)/:alert`, { config: { permission: 'view_bdb_alerts' } },
      async req => alerts.one(Number(req.params.uid), kind, Number(req.params.src), req.params.alert))
  }
}
