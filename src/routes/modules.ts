import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { parseFields, project } from '../present.js'

interface Query { fields?: string }

export default async function moduleRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: Query }>('/v1/modules', { config: { permission: 'view_cluster_modules' } },
    async req => store.cluster.modules().map(m => project(m, parseFields(req.query.fields))))

  // Module uids are 32-hex strings.
  app.get<{ Params: { uid: string }, Querystring: Query }>('/v1/modules/:uid', { config: { permission: 'view_cluster_modules' } },
    async req => project(store.cluster.module(req.params.uid), parseFields(req.query.fields)))
}
