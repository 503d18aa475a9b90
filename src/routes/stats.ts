// Statistics (docs/rs-api-notes.md §5.11). v1 stats are deprecated since RS 7.22 but still served.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { Permission } from '../base/permissions.js'
import { intervalNames, type StatsQuery } from '../store/monitoring/index.js'
import { UID, uidOf } from './params.js'

// A bad interval names the field (400 invalid_schema); unknown parameters are ignored.
const querystring = {
  type: 'object',
  properties: {
    interval: { type: 'string', enum: intervalNames },
    stime: { type: 'string' },
    etime: { type: 'string' },
    metrics: { type: 'string' },
    parent_uid: { type: 'string' }
  }
}
type Q = { Querystring: StatsQuery }
type QU = { Querystring: StatsQuery, Params: { uid: string } }
const opts = (permission: Permission) => ({ config: { permission }, schema: { querystring } })

export default async function statsRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { stats } = store
  app.get<Q>('/v1/cluster/stats', opts('view_cluster_stats'), async req => stats.cluster(req.query))
  app.get<Q>('/v1/cluster/stats/last', opts('view_cluster_stats'), async req => stats.clusterLast(req.query))

  app.get<Q>('/v1/nodes/stats', opts('view_all_nodes_stats'), async req => stats.nodesAll(req.query))
  app.get<Q>('/v1/nodes/stats/last', opts('view_all_nodes_stats'), async req => stats.nodesLast(req.query))
  app.get<QU>(`/v1/nodes/stats/${UID}`, opts('view_node_stats'), async req => stats.node(uidOf(req), req.query))
  app.get<QU>(`/v1/nodes/stats/last/${UID}`, opts('view_node_stats'), async req => stats.nodeLast(uidOf(req), req.query))

  app.get<Q>('/v1/bdbs/stats', opts('view_all_bdb_stats'), async req => stats.bdbsAll(req.query))
  app.get<Q>('/v1/bdbs/stats/last', opts('view_all_bdb_stats'), async req => stats.bdbsLast(req.query))
  app.get<QU>(`/v1/bdbs/stats/${UID}`, opts('view_bdb_stats'), async req => stats.bdb(uidOf(req), req.query))
  app.get<QU>(`/v1/bdbs/stats/last/${UID}`, opts('view_bdb_stats'), async req => stats.bdbLast(uidOf(req), req.query))

  app.get<Q>('/v1/shards/stats', opts('view_all_shard_stats'), async req => stats.shardsAll(req.query))
  app.get<Q>('/v1/shards/stats/last', opts('view_all_shard_stats'), async req => stats.shardsLast(req.query))
  app.get<QU>(`/v1/shards/stats/${UID}`, opts('view_shard_stats'), async req => stats.shard(uidOf(req), req.query))
  app.get<QU>(`/v1/shards/stats/last/${UID}`, opts('view_shard_stats'), async req => stats.shardLast(uidOf(req), req.query))

  app.get<Q>('/v1/endpoints/stats', opts('view_endpoint_stats'), async req => stats.endpoints(req.query))
}
