import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { roleCreateSchema, roleUpdateSchema } from '../schemas/index.js'
import { isDryRun, parseFields, project, type WriteQuery } from '../present.js'
import type { RoleInput } from '../store/roles.js'

type Uid = { Params: { uid: string }, Querystring: WriteQuery }

export default async function roleRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: WriteQuery }>('/v1/roles', { config: { permission: 'view_all_roles_info' } },
    async req => { const f = parseFields(req.query.fields); return store.roles.list().map(r => project(r, f)) })

  app.get<Uid>('/v1/roles/:uid(^\\d+$)', { config: { permission: 'view_role_info' } },
    async req => project(store.roles.get(Number(req.params.uid)), parseFields(req.query.fields)))

  app.post<{ Body: RoleInput, Querystring: WriteQuery }>('/v1/roles',
    { config: { permission: 'create_role' }, schema: { body: roleCreateSchema } },
    async req => store.roles.create(req.body, { dryRun: isDryRun(req.query) }))

  app.put<Uid & { Body: RoleInput }>('/v1/roles/:uid(^\\d+$)',
    { config: { permission: 'update_role' }, schema: { body: roleUpdateSchema } },
    async req => store.roles.update(Number(req.params.uid), req.body, { dryRun: isDryRun(req.query) }))

  app.delete<Uid>('/v1/roles/:uid(^\\d+$)', { config: { permission: 'delete_role' } },
    async req => store.roles.delete(Number(req.params.uid), { dryRun: isDryRun(req.query) }))
}
