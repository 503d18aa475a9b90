import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { LogQuery } from '../store/kernel/index.js'

export default async function logRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: LogQuery }>('/v1/logs', { config: { permission: 'view_logged_events' } },
    async req => store.events.query(req.query))
}
