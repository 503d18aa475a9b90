// /v1/cluster/check, and /v1/cluster/actions: change_master, the one documented cluster action, moves the master
// (docs/rs-api-notes.md §5.1, docs/decisions.md #49, #55). Each action is a concrete route; starting another name
// is the page's 400 "bad action", reading or cancelling one is its 404.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { CLUSTER_ACTIONS } from '../store/topology/index.js'

export default async function clusterActionRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { master } = store
  app.get('/v1/cluster/check', { config: { permission: 'view_all_nodes_checks' } }, async () => store.nodeOps.clusterCheck())
  app.get('/v1/cluster/actions', { config: { permission: 'view_status_of_cluster_action' } }, async () => master.list())
  for (const name of CLUSTER_ACTIONS) {
    const path = `/v1/cluster/actions/${name}`
    app.get(path, { config: { permission: 'view_status_of_cluster_action' } }, async () => master.get(name))
    app.post(path, { config: { permission: 'start_cluster_action' } }, async req => master.start(name, req.body))
    app.delete(path, { config: { permission: 'cancel_cluster_action' } }, async () => { master.remove(name); return {} })
  }
  type Action = { Params: { action: string } }
  app.post<Action>('/v1/cluster/actions/:action', { config: { permission: 'start_cluster_action' } }, async req => master.start(req.params.action, req.body))
  app.get<Action>('/v1/cluster/actions/:action', { config: { permission: 'view_status_of_cluster_action' } }, async req => master.get(req.params.action))
  app.delete<Action>('/v1/cluster/actions/:action', { config: { permission: 'cancel_cluster_action' } }, async req => { master.remove(req.params.action); return {} })
}
