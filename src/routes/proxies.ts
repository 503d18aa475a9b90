// Proxies (rs-rest-api.md §5.14).
import type { FastifyInstance } from 'fastify'
import type { Json, Store } from '../store/index.js'
import { parseFields, project } from '../present.js'
import { proxyUpdateSchema } from '../schemas/index.js'

interface Query { fields?: string }
type Uid = { uid: string }

export default async function proxyRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: Query }>('/v1/proxies', { config: { permission: 'view_all_proxies_info' } },
    async req => store.proxies.list().map(p => project(p, parseFields(req.query.fields))))

  app.get<{ Params: Uid, Querystring: Query }>('/v1/proxies/:uid(^\\d+$)', { config: { permission: 'view_proxy_info' } },
    async req => project(store.proxies.get(Number(req.params.uid)), parseFields(req.query.fields)))

  app.put<{ Params: Uid, Body: Json }>('/v1/proxies/:uid(^\\d+$)', { config: { permission: 'update_proxy' }, schema: { body: proxyUpdateSchema } },
    async req => store.proxies.update(Number(req.params.uid), req.body))
}
