import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { redisAclCreateSchema, redisAclUpdateSchema } from '../schemas/index.js'
import { collectionReads } from './reads.js'
import { collectionWrites } from './writes.js'
import type { RedisAclInput } from '../store/access/index.js'

export default async function redisAclRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const acls = store.redisAcls
  collectionReads(app, {
    path: '/v1/redis_acls',
    list: () => acls.list(),
    get: uid => acls.get(Number(uid)),
    config: [{ permission: 'view_all_redis_acls_info' }, { permission: 'view_redis_acl_info' }]
  })
  collectionWrites<unknown, RedisAclInput>(app, {
    path: '/v1/redis_acls',
    create: (body, o) => acls.create(body, o),
    update: (uid, body, o) => acls.update(uid, body, o),
    delete: (uid, o) => acls.delete(uid, o),
    schemas: [redisAclCreateSchema, redisAclUpdateSchema],
    config: [{ permission: 'create_redis_acl' }, { permission: 'update_redis_acl' }, { permission: 'delete_redis_acl' }]
  })

  // Deprecated since 7.12 in favour of POST /v1/redis_acls?dry_run (docs/rs-api-notes.md §5.5).
  app.post<{ Body: RedisAclInput }>('/v1/redis_acls/validate',
    { config: { permission: 'create_redis_acl' }, schema: { body: redisAclCreateSchema } },
    async req => acls.create(req.body, { dryRun: true }))
}
