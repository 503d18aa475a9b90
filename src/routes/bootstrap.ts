import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { BootstrapAction } from '../store/cluster/index.js'

const ACTIONS: readonly BootstrapAction[] = ['create_cluster', 'join_cluster', 'recover_cluster']

// Unauthenticated until the node is in a cluster (docs/rs-api-notes.md §3.1); then like any route.
// The body is not schema-checked here: a bad one is the documented config_error in bootstrap_status.
export default async function bootstrapRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/v1/bootstrap', { config: { access: 'bootstrap' } }, async () => store.bootstrap.status())

  for (const action of ACTIONS) {
    // Accepted: the caller polls GET /v1/bootstrap.
    app.post(`/v1/bootstrap/${action}`, { config: { access: 'bootstrap' } }, async req => {
      store.bootstrap.start(action, req.body)
      return {}
    })

    app.post(`/v1/bootstrap/validate/${action}`, { config: { access: 'bootstrap' } }, async (req, reply) => {
      const error = await store.bootstrap.validate(action, req.body)
      // Documented: 406 whose body is a bootstrap_status object, not the usual error body.
      return error === null ? {} : reply.code(406).send(error)
    })
  }
}
