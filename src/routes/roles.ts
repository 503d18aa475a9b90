import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { roleCreateSchema, roleUpdateSchema } from '../schemas/index.js'
import { isDryRun, type WriteQuery } from './present.js'
import { collectionReads } from './reads.js'
import type { RoleInput } from '../store/roles.js'

type Uid = { Params: { uid: string }, Querystring: WriteQuery }

export default async function roleRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/roles',
    list: () => store.roles.list(),
    get: uid => store.roles.get(Number(uid)),
    config: [{ permission: 'view_all_roles_info' }, { permission: 'view_role_info' }]
  })

  app.post<{ Body: RoleInput, Querystring: WriteQuery }>('/v1/roles',
    { config: { permission: 'create_role' }, schema: { body: roleCreateSchema } },
    async req => store.roles.create(req.body, { dryRun: isDryRun(req.query) }))

  app.put<Uid & { Body: RoleInput }>('/v1/roles/:uid(^\\d+$)',
    { config: { permission: 'update_role' }, schema: { body: roleUpdateSchema } },
    async req => store.roles.update(Number(req.params.uid), req.body, { dryRun: isDryRun(req.query) }))

  app.delete<Uid>('/v1/roles/:uid(^\\d+$)', { config: { permission: 'delete_role' } },
    async req => store.roles.delete(Number(req.params.uid), { dryRun: isDryRun(req.query) }))
}
