// The test-control API under /_mock/: outside the RS paths and outside the RS front door.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'

export default async function controlRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // For Docker HEALTHCHECK and Testcontainers waits: no credentials, answers in every cluster state.
  app.get('/_mock/health', { config: { access: 'open' } }, async () => ({
    status: 'ok',
    in_cluster: store.inCluster,
    cluster_state_id: store.clusterStateId
  }))
}
