import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { collectionReads } from './reads.js'

// The docs name no permission for these (docs/rs-api-notes.md §5.6): every role may read them.
export default async function shardRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/shards',
    list: () => store.shards.list(),
    get: uid => store.shards.get(uid),
    config: [{ permission: 'view_all_shard_stats' }, { permission: 'view_shard_stats' }]
  })
}
