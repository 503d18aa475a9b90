import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { collectionReads } from './reads.js'

export default async function moduleRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // Module uids are 32-hex strings.
  collectionReads(app, {
    path: '/v1/modules',
    param: ':uid',
    list: () => store.cluster.modules(),
    get: uid => store.cluster.module(uid),
    config: [{ permission: 'view_cluster_modules' }, { permission: 'view_cluster_modules' }]
  })
}
