import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { redisAclCreateSchema, redisAclUpdateSchema } from '../schemas/index.js'
import { isDryRun, parseFields, project, type WriteQuery } from '../present.js'
import type { RedisAclInput } from '../store/redis-acls.js'

type Uid = { Params: { uid: string }, Querystring: WriteQuery }

export default async function redisAclRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: WriteQuery }>('/v1/redis_acls', { config: { permission: 'view_all_redis_acls_info' } },
    async req => { const f = parseFields(req.query.fields); return store.redisAcls.list().map(a => project(a, f)) })

  app.get<Uid>('/v1/redis_acls/:uid(^\\d+$)', { config: { permission: 'view_redis_acl_info' } },
    async req => project(store.redisAcls.get(Number(req.params.uid)), parseFields(req.query.fields)))

  app.post<{ Body: RedisAclInput, Querystring: WriteQuery }>('/v1/redis_acls',
    { config: { permission: 'create_redis_acl' }, schema: { body: redisAclCreateSchema } },
    async req => store.redisAcls.create(req.body, { dryRun: isDryRun(req.query) }))

  // Deprecated since 7.12 in favour of POST /v1/redis_acls?dry_run (reference §5.5).
  app.post<{ Body: RedisAclInput }>('/v1/redis_acls/validate',
    { config: { permission: 'create_redis_acl' }, schema: { body: redisAclCreateSchema } },
    async req => store.redisAcls.create(req.body, { dryRun: true }))

  app.put<Uid & { Body: RedisAclInput }>('/v1/redis_acls/:uid(^\\d+$)',
    { config: { permission: 'update_redis_acl' }, schema: { body: redisAclUpdateSchema } },
    async req => store.redisAcls.update(Number(req.params.uid), req.body, { dryRun: isDryRun(req.query) }))

  app.delete<Uid>('/v1/redis_acls/:uid(^\\d+$)', { config: { permission: 'delete_redis_acl' } },
    async req => store.redisAcls.delete(Number(req.params.uid), { dryRun: isDryRun(req.query) }))
}
