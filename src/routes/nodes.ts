import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { parseFields, project } from '../present.js'

interface Query { fields?: string }
type Uid = { uid: string }

export default async function nodeRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: Query }>('/v1/nodes', { config: { permission: 'view_all_nodes_info' } },
    async req => store.cluster.nodes().map(n => project(n, parseFields(req.query.fields))))

  app.get<{ Params: Uid, Querystring: Query }>('/v1/nodes/:uid(^\\d+$)', { config: { permission: 'view_node_info' } },
    async req => project(store.cluster.node(Number(req.params.uid)), parseFields(req.query.fields)))

  // A map node uid -> status for all nodes; the single-node form is the status object itself.
  app.get('/v1/nodes/status', { config: { permission: 'view_node_info' } },
    async () => store.cluster.nodesStatus())

  app.get<{ Params: Uid }>('/v1/nodes/:uid(^\\d+$)/status', { config: { permission: 'view_node_info' } },
    async req => store.cluster.nodeStatus(Number(req.params.uid)))
}
