import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, UserRecord } from '../store/index.js'
import { userCreateSchema, userUpdateSchema } from '../schemas/index.js'
import { int, obj } from '../schemas/common.js'
import { isManagementRole, managementRoles, permissionsOf } from '../base/permissions.js'
import { roleNotFound } from '../base/errors.js'
import { collectionReads } from './reads.js'
import { collectionWrites } from './writes.js'
import { optionalBody } from './params.js'
import { MAX_TOKEN_TTL, type UserInput } from '../store/access/index.js'

// POST /v1/users/authorize and /refresh_jwt: an optional body {"ttl": 1-86400} (docs/rs-api-notes.md §6.2).
const tokenSchema = obj({ ttl: int(1, MAX_TOKEN_TTL) })

const permissionsEntry = (role: string) => ({ [role]: { api_permissions: permissionsOf(role), ui_permissions: [] } })

export default async function userRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const me = (req: FastifyRequest) => req.user as UserRecord

  // self: a user may read itself (docs/rs-api-notes.md §5.3 leaves it open; docs/differences.md).
  const { users } = store
  collectionReads(app, {
    path: '/v1/users',
    list: () => users.list(),
    get: uid => users.get(Number(uid)),
    config: [{ permission: 'view_all_users_info' }, { permission: 'view_user_info', self: true }]
  })

  // self: any user may change its own name, password and alert settings (docs/rs-api-notes.md §5.3).
  collectionWrites<unknown, UserInput>(app, {
    path: '/v1/users',
    create: (body, o, req) => users.create(body, { ...o, caller: me(req) }),
    update: (uid, body, o, req) => users.update(uid, body, { ...o, caller: me(req), selfOnly: !store.access.allows(me(req), 'update_user') }),
    delete: (uid, o, req) => users.delete(uid, { ...o, caller: me(req) }),
    schemas: [userCreateSchema, userUpdateSchema],
    config: [{ permission: 'create_new_user' }, { permission: 'update_user', self: true }, { permission: 'delete_user' }]
  })

  app.get('/v1/users/role', { config: { access: 'authenticated' } }, async req => ({ role: req.grant?.role ?? null }))

  // Every management role's permissions; ui_permissions are not modelled (docs/differences.md).
  app.get('/v1/users/permissions', { config: { access: 'authenticated' } },
    async () => Object.assign({}, ...managementRoles.map(permissionsEntry)))

  app.get<{ Params: { role: string } }>('/v1/users/permissions/:role', { config: { access: 'authenticated' } }, async req => {
    if (!isManagementRole(req.params.role)) throw roleNotFound(req.params.role)
    return permissionsEntry(req.params.role)
  })

  app.post<{ Body: { ttl?: number } }>('/v1/users/authorize',
    { config: { access: 'authenticated', optionalBody: true }, schema: { body: tokenSchema }, preValidation: optionalBody },
    async req => store.access.issueToken(me(req), req.body.ttl))

  app.post<{ Body: { ttl?: number } }>('/v1/users/refresh_jwt',
    { config: { access: 'authenticated', optionalBody: true }, schema: { body: tokenSchema }, preValidation: optionalBody },
    async req => store.access.refreshToken(req.headers.authorization, req.body.ttl))
}
