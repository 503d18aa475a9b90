import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { collectionReads } from './reads.js'
import { UID, uidOf } from './params.js'

type Uid = { uid: string }

export default async function nodeRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/nodes',
    list: () => store.cluster.nodes(),
    get: uid => store.cluster.node(Number(uid)),
    config: [{ permission: 'view_all_nodes_info' }, { permission: 'view_node_info' }]
  })

  // A map node uid -> status for all nodes; the single-node form is the status object itself.
  app.get('/v1/nodes/status', { config: { permission: 'view_node_info' } },
    async () => store.cluster.nodesStatus())

  app.get<{ Params: Uid }>(`/v1/nodes/${UID}/status`, { config: { permission: 'view_node_info' } },
    async req => store.cluster.nodeStatus(uidOf(req)))
}
