import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, UserRecord } from '../store/index.js'
import { userCreateSchema, userUpdateSchema } from '../schemas/index.js'
import { int, obj } from '../schemas/common.js'
import { isManagementRole, managementRoles, permissionsOf } from '../permissions.js'
import { roleNotFound } from '../errors.js'
import { isDryRun, type WriteQuery } from '../present.js'
import { collectionReads } from './reads.js'
import { MAX_TOKEN_TTL } from '../store/tokens.js'
import type { UserInput } from '../store/users.js'

type Uid = { Params: { uid: string }, Querystring: WriteQuery }

// POST /v1/users/authorize and /refresh_jwt: an optional body {"ttl": 1-86400} (reference §6.2).
const tokenSchema = obj({ ttl: int(1, MAX_TOKEN_TTL) })
const optionalBody = async (req: FastifyRequest) => { if (req.body === undefined || req.body === null) req.body = {} }

const permissionsEntry = (role: string) => ({ [role]: { api_permissions: permissionsOf(role), ui_permissions: [] } })

export default async function userRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const me = (req: FastifyRequest) => req.user as UserRecord

  // self: a user may read itself (reference §5.3 leaves it open; README differences list).
  collectionReads(app, {
    path: '/v1/users',
    list: () => store.users.list(),
    get: uid => store.users.get(Number(uid)),
    config: [{ permission: 'view_all_users_info' }, { permission: 'view_user_info', self: true }]
  })

  app.post<{ Body: UserInput, Querystring: WriteQuery }>('/v1/users',
    { config: { permission: 'create_new_user' }, schema: { body: userCreateSchema } },
    async req => store.users.create(req.body, { dryRun: isDryRun(req.query) }))

  // self: any user may change its own name, password and alert settings (reference §5.3).
  app.put<Uid & { Body: UserInput }>('/v1/users/:uid(^\\d+$)',
    { config: { permission: 'update_user', self: true }, schema: { body: userUpdateSchema } },
    async req => store.users.update(Number(req.params.uid), req.body, {
      dryRun: isDryRun(req.query),
      selfOnly: !store.access.allows(me(req), 'update_user')
    }))

  app.delete<Uid>('/v1/users/:uid(^\\d+$)', { config: { permission: 'delete_user' } },
    async req => store.users.delete(Number(req.params.uid), { dryRun: isDryRun(req.query) }))

  app.get('/v1/users/role', { config: { access: 'authenticated' } }, async req => ({ role: req.role }))

  // Every management role's permissions; ui_permissions are not modelled (README differences).
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
