// Proxies (docs/rs-api-notes.md §5.14).
import type { FastifyInstance } from 'fastify'
import type { Json, Store } from '../store/index.js'
import { collectionReads } from './reads.js'
import { proxyUpdateSchema } from '../schemas/index.js'
import { UID, uidOf } from './params.js'

type Uid = { uid: string }

export default async function proxyRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/proxies',
    list: () => store.proxies.list(),
    get: uid => store.proxies.get(Number(uid)),
    config: [{ permission: 'view_all_proxies_info' }, { permission: 'view_proxy_info' }]
  })

  app.put<{ Params: Uid, Body: Json }>(`/v1/proxies/${UID}`, { config: { permission: 'update_proxy' }, schema: { body: proxyUpdateSchema } },
    async req => store.proxies.update(uidOf(req), req.body))
}
