// Shard failover and migration (docs/rs-api-notes.md §5.6): an action_uid and a description to poll; a
// successful dry run answers 200 with an empty body.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Store } from '../store/index.js'
import type { FailoverRequest, MigrateRequest, Triggered } from '../store/databases/index.js'
import { failoverManySchema, failoverOneSchema, migrateManySchema, migrateOneSchema } from '../schemas/shard-actions.js'
import { UID } from './params.js'

const answer = (reply: FastifyReply, result: Triggered | undefined) => result ?? reply.code(200).send()
const bodyOptional = { preValidation: (req: { body: unknown }, _reply: unknown, done: () => void) => { req.body ??= {}; done() } }
type One = { Params: { uid: string } }

export default async function shardActionRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const shards = store.shardActions
  const failover = { config: { permission: 'failover_shard' as const }, ...bodyOptional }
  const migrate = { config: { permission: 'migrate_shard' as const }, ...bodyOptional }

  app.post<{ Body: FailoverRequest }>('/v1/shards/actions/failover', { ...failover, schema: { body: failoverManySchema } },
    async (req, reply) => answer(reply, shards.failover(req.body)))
  app.post<One & { Body: FailoverRequest }>(`/v1/shards/${UID}/actions/failover`, { ...failover, schema: { body: failoverOneSchema } },
    async (req, reply) => answer(reply, shards.failover({ ...req.body, shard_uids: [req.params.uid] })))

  app.post<{ Body: MigrateRequest }>('/v1/shards/actions/migrate', { ...migrate, schema: { body: migrateManySchema } },
    async (req, reply) => answer(reply, shards.migrate(req.body)))
  app.post<One & { Body: MigrateRequest }>(`/v1/shards/${UID}/actions/migrate`, { ...migrate, schema: { body: migrateOneSchema } },
    async (req, reply) => answer(reply, shards.migrate({ ...req.body, shard_uids: [req.params.uid] })))
}
