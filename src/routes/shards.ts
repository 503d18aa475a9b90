import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { collectionReads } from './reads.js'
import { infoKeys } from './present.js'

// The docs name no permission for these (docs/rs-api-notes.md §5.6): every role may read them.
export default async function shardRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/shards',
    list: q => store.shards.list(infoKeys(q.extra_info_keys)),
    get: (uid, q) => store.shards.get(uid, infoKeys(q.extra_info_keys)),
    config: [{ permission: 'view_all_shard_stats' }, { permission: 'view_shard_stats' }]
  })
}
