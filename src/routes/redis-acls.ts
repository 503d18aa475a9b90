import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { redisAclCreateSchema, redisAclUpdateSchema } from '../schemas/index.js'
import { isDryRun, type WriteQuery } from './present.js'
import { collectionReads } from './reads.js'
import type { RedisAclInput } from '../store/redis-acls.js'

type Uid = { Params: { uid: string }, Querystring: WriteQuery }

export default async function redisAclRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/redis_acls',
    list: () => store.redisAcls.list(),
    get: uid => store.redisAcls.get(Number(uid)),
    config: [{ permission: 'view_all_redis_acls_info' }, { permission: 'view_redis_acl_info' }]
  })

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
