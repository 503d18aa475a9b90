import type { FastifyInstance } from 'fastify'
import type { Json, Store } from '../store/index.js'
import { isDryRun, parseFields, project, type WriteQuery } from './present.js'
import { clusterUpdateSchema, policyUpdateSchema } from '../schemas/index.js'
import { ReadCache } from './read-cache.js'

type Query = WriteQuery

export default async function clusterRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // The bytes kept until the state changes (read-cache.ts), answered synchronously: monitoring
  // and health checks poll it.
  const cache = new ReadCache(() => store.generation)
  app.get<{ Querystring: Query }>('/v1/cluster', { config: { permission: 'view_cluster_info' } }, (req, reply) => {
    reply.type('application/json')
    return cache.get(req.url, () => project(store.cluster.get(), parseFields(req.query.fields)))
  })

  // Writable fields only: name, created_time and the other read-only keys are invalid_schema.
  app.put<{ Body: Json, Querystring: Query }>('/v1/cluster', { config: { permission: 'update_cluster' }, schema: { body: clusterUpdateSchema } },
    async req => store.cluster.update(req.body, isDryRun(req.query)))

  app.get<{ Querystring: Query }>('/v1/cluster/policy', { config: { permission: 'view_cluster_info' } },
    async req => project(store.cluster.policy(), parseFields(req.query.fields)))

  // Documented as answering with the status only: an empty 200.
  app.put<{ Body: Json }>('/v1/cluster/policy', { config: { permission: 'update_cluster' }, schema: { body: policyUpdateSchema } },
    async (req, reply) => {
      store.cluster.updatePolicy(req.body)
      return reply.send()
    })

  app.get('/v1/local/node/master_healthcheck', { config: { permission: 'view_cluster_info' } },
    async () => store.cluster.masterHealthcheck())
}
