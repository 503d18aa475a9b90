import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
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
    create: (body, o) => roles.create(body, o),
    update: (uid, body, o) => roles.update(uid, body, o),
    delete: (uid, o) => roles.delete(uid, o),
    schemas: [roleCreateSchema, roleUpdateSchema],
    config: [{ permission: 'create_role' }, { permission: 'update_role' }, { permission: 'delete_role' }]
  })
}
