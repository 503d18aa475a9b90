// Replication between databases (docs/rs-api-notes.md §4, §5.12, §5.14): syncer state, sync
// source and peer statistics, and the replica_sources / crdt_sources alert families.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store } from '../store/index.js'
import type { Permission } from '../base/permissions.js'
import { intervalNames, type StatsQuery } from '../store/monitoring/index.js'
import type { SourceKind } from '../store/databases/index.js'
import { UID, uidOf } from './params.js'

const querystring = {
  type: 'object',
  properties: { interval: { type: 'string', enum: intervalNames }, stime: { type: 'string' }, etime: { type: 'string' } }
}
const stats = (permission: Permission) => ({ config: { permission }, schema: { querystring } })
const view = (permission: Permission) => ({ config: { permission } })
const SRC = ':src(^\\d+$)'
const srcOf = (req: FastifyRequest): number => Number((req.params as { src: string }).src)

type Q = { Querystring: StatsQuery }

export default async function replicationRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { replication, sourceAlerts } = store
  // The suffix-less route is the deprecated name of /crdt (docs).
  app.get(`/v1/bdbs/${UID}/syncer_state`, view('view_bdb_info'), async req => replication.syncerState(uidOf(req), 'crdt'))
  app.get(`/v1/bdbs/${UID}/syncer_state/crdt`, view('view_bdb_info'), async req => replication.syncerState(uidOf(req), 'crdt'))
  app.get(`/v1/bdbs/${UID}/syncer_state/replica`, view('view_bdb_info'), async req => replication.syncerState(uidOf(req), 'replica'))

  app.get<Q>(`/v1/bdbs/${UID}/sync_source_stats`, stats('view_bdb_stats'), async req => replication.syncSourceStats(uidOf(req), req.query))
  app.get<Q>(`/v1/bdbs/${UID}/sync_source_stats/${SRC}`, stats('view_bdb_stats'),
    async req => replication.syncSourceStat(uidOf(req), srcOf(req), req.query))
  app.get<Q>(`/v1/bdbs/${UID}/peer_stats`, stats('view_bdb_stats'), async req => replication.peerStats(uidOf(req), req.query))
  app.get<Q>(`/v1/bdbs/${UID}/peer_stats/${SRC}`, stats('view_bdb_stats'),
    async req => replication.peerStat(uidOf(req), srcOf(req), req.query))

  for (const kind of ['replica', 'crdt'] as SourceKind[]) {
    const base = `/v1/bdbs/${kind}_sources/alerts`
    app.get(base, view('view_all_bdbs_alerts'), async () => sourceAlerts.all(kind))
    app.get(`${base}/${UID}`, view('view_bdb_alerts'), async req => sourceAlerts.bdbAlerts(uidOf(req), kind))
    app.get(`${base}/${UID}/${SRC}`, view('view_bdb_alerts'), async req => sourceAlerts.sourceAlerts(uidOf(req), srcOf(req), kind))
    app.get<{ Params: { alert: string } }>(`${base}/${UID}/${SRC}/:alert`, view('view_bdb_alerts'),
      async req => sourceAlerts.sourceAlert(uidOf(req), srcOf(req), req.params.alert, kind))
  }
}
