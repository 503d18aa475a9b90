// The whole RS API surface the mock serves, one plugin per resource.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import bdbRoutes from './bdbs.js'
import bootstrapRoutes from './bootstrap.js'

export default async function routes (app: FastifyInstance, opts: { store: Store }): Promise<void> {
  await app.register(bootstrapRoutes, opts)
  await app.register(bdbRoutes, opts)
}
