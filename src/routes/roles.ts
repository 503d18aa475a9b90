import type { FastifyInstance } from 'fastify'
import type { Store, UserRecord } from '../store/index.js'
import { roleCreateSchema, roleUpdateSchema } from '../schemas/index.js'
import { collectionReads } from './reads.js'
import { collectionWrites } from './writes.js'
import type { RoleInput } from '../store/access/index.js'

export default async function roleRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { roles } = store
  collectionReads(app, {
    path: '/v1/roles',
    list: () => roles.list(),
    get: uid => roles.get(Number(uid)),
    config: [{ permission: 'view_all_roles_info' }, { permission: 'view_role_info' }]
  })
  collectionWrites<unknown, RoleInput>(app, {
    path: '/v1/roles',
    create: (body, o, req) => roles.create(body, { ...o, caller: req.user as UserRecord }),
    update: (uid, body, o, req) => roles.update(uid, body, { ...o, caller: req.user as UserRecord }),
    delete: (uid, o, req) => roles.delete(uid, { ...o, caller: req.user as UserRecord }),
    schemas: [roleCreateSchema, roleUpdateSchema],
    config: [{ permission: 'create_role' }, { permission: 'update_role' }, { permission: 'delete_role' }]
  })
}
