import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { parseFields, project } from '../present.js'

interface Query { fields?: string }

// The docs name no permission for these (reference §5.6): every role may read them.
export default async function shardRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: Query }>('/v1/shards', { config: { permission: 'view_all_shard_stats' } },
    async req => store.shards.list().map(s => project(s, parseFields(req.query.fields))))

  app.get<{ Params: { uid: string }, Querystring: Query }>('/v1/shards/:uid(^\\d+$)', { config: { permission: 'view_shard_stats' } },
    async req => project(store.shards.get(req.params.uid), parseFields(req.query.fields)))
}
