// Availability and health checks (docs/rs-api-notes.md §1, §2.4): 200 with an empty body when
// available (/v4/cluster/health: the cluster's health report), else a 503 whose error_code says why. Redis clients' lag-aware failover
// (Jedis, Lettuce, redis-py) call /v1/bdbs/{uid}/availability?extend_check=lag.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Store } from '../store/index.js'
import { clusterHealthReport, type AvailabilityQuery } from '../store/monitoring/index.js'
import { UID, uidOf } from './params.js'

type Uid = { uid: string }
const ok = (reply: FastifyReply) => reply.code(200).send()

export default async function availabilityRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { health } = store
  app.get<{ Params: Uid, Querystring: AvailabilityQuery }>(`/v1/bdbs/${UID}/availability`,
    { config: { permission: 'view_bdb_info' } },
    async (req, reply) => { health.checkBdb(uidOf(req), req.query); return ok(reply) })

  app.get<{ Params: Uid }>(`/v1/local/bdbs/${UID}/endpoint/availability`, { config: { permission: 'view_bdb_info' } },
    async (req, reply) => { health.checkLocalEndpoint(uidOf(req)); return ok(reply) })

  // /v4 exists only for these two (OpenAPI); x-api-version 4 passes the front door here.
  app.get('/v4/cluster/health', { config: { permission: 'view_cluster_info' } },
    async () => { health.checkCluster(); return clusterHealthReport(store.state, store.shards.list(), store.master.uid, Date.now()) })

  app.get<{ Params: Uid, Querystring: AvailabilityQuery }>(`/v4/db/${UID}/health`, { config: { permission: 'view_bdb_info' } },
    async (req, reply) => { health.checkBdb(uidOf(req), req.query); return ok(reply) })
}
