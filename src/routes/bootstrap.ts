import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'

export default async function bootstrapRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // Unauthenticated until the node is in a cluster (reference §3.1); then like any route.
  app.get('/v1/bootstrap', { config: { access: 'bootstrap' } }, async () => store.cluster.bootstrapStatus())
}
