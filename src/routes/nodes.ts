import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { nodeUpdateSchema } from '../schemas/index.js'
import { NODE_ACTIONS, type NodeAction } from '../store/cluster/index.js'
import { collectionReads } from './reads.js'
import { UID, uidOf } from './params.js'

type Uid = { uid: string }
type Snapshot = Uid & { name: string }

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

  const ops = store.nodeOps
  app.get<{ Params: Uid }>(`/v1/nodes/check/${UID}`, { config: { permission: 'view_node_check' } }, async req => ops.check(uidOf(req)))
  // RS answers a node update with an empty body (docs/rs-api-notes.md §5.2).
  app.put<{ Params: Uid }>(`/v1/nodes/${UID}`, { config: { permission: 'update_node' }, schema: { body: nodeUpdateSchema } },
    async (req, reply) => {
      ops.update(uidOf(req), req.body as Record<string, unknown>)
      return reply.send()
    })

  app.get('/v1/nodes/actions', { config: { permission: 'view_status_of_all_node_actions' } }, async () => ops.list())
  app.get<{ Params: Uid }>(`/v1/nodes/${UID}/actions`, { config: { permission: 'view_status_of_node_action' } },
    async req => ops.list(uidOf(req)))
  for (const action of Object.keys(NODE_ACTIONS) as NodeAction[]) {
    const path = `/v1/nodes/${UID}/actions/${action}`
    app.get<{ Params: Uid }>(path, { config: { permission: 'view_status_of_node_action' } }, async req => ops.get(uidOf(req), action))
    app.post<{ Params: Uid }>(path, { config: { permission: 'start_node_action' } },
      async req => ops.start(uidOf(req), action, req.body as Record<string, unknown> | undefined))
    app.delete<{ Params: Uid }>(path, { config: { permission: 'cancel_node_action' } }, async req => { ops.remove(uidOf(req), action); return {} })
  }

  app.get<{ Params: Uid }>(`/v1/nodes/${UID}/snapshots`, { config: { permission: 'view_node_info' } }, async req => ops.snapshots(uidOf(req)))
  app.delete<{ Params: Snapshot }>(`/v1/nodes/${UID}/snapshots/:name`, { config: { permission: 'update_node' } },
    async req => ops.deleteSnapshot(uidOf(req), req.params.name))
}
