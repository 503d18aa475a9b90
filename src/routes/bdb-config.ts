// A database's passwords, Redis version and modules (docs/rs-api-notes.md §2.4 related routes, §5.10).
// Passwords and module configuration answer 200 with an empty body; the upgrades return the
// database, which goes through active-change-pending with an action_uid to poll.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Store } from '../store/index.js'
import type { ModuleArgs, ModuleUpgrade, UpgradeBody } from '../store/databases/index.js'
import { moduleConfigBodySchema, moduleUpgradeBodySchema, passwordBodySchema, upgradeBodySchema } from '../schemas/bdb-actions.js'
import { UID, uidOf } from './params.js'

const empty = (reply: FastifyReply) => reply.code(200).send()
type Password = { Body: { password: string } }

export default async function bdbConfigRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const cfg = store.bdbConfig
  const passwords = `/v1/bdbs/${UID}/passwords`
  const opts = { config: { permission: 'update_bdb' as const }, schema: { body: passwordBodySchema } }
  app.put<Password>(passwords, opts, async (req, reply) => { cfg.changePassword(uidOf(req), 'set', req.body.password); return empty(reply) })
  app.post<Password>(passwords, opts, async (req, reply) => { cfg.changePassword(uidOf(req), 'add', req.body.password); return empty(reply) })
  app.delete<Password>(passwords, opts, async (req, reply) => { cfg.changePassword(uidOf(req), 'remove', req.body.password); return empty(reply) })

  app.post<{ Body: UpgradeBody }>(`/v1/bdbs/${UID}/upgrade`, {
    config: { permission: 'update_bdb_with_action' },
    schema: { body: upgradeBodySchema },
    preValidation: (req, _reply, done) => { req.body ??= {}; done() }
  }, async req => cfg.upgrade(uidOf(req), req.body))

  type Config = { Body: { modules: ModuleArgs[] } }
  const configure = { config: { permission: 'edit_bdb_module' as const }, schema: { body: moduleConfigBodySchema } }
  app.post<Config>(`/v1/bdbs/${UID}/modules/config`, configure,
    async (req, reply) => { cfg.configureModules(uidOf(req), req.body.modules); return empty(reply) })
  // the same request under the modules collection
  app.post<Config>(`/v1/modules/config/bdb/${UID}`, configure,
    async (req, reply) => { cfg.configureModules(uidOf(req), req.body.modules); return empty(reply) })

  app.post<{ Body: { modules: ModuleUpgrade[] } }>(`/v1/bdbs/${UID}/modules/upgrade`,
    { config: { permission: 'edit_bdb_module' }, schema: { body: moduleUpgradeBodySchema } },
    async req => cfg.upgradeModules(uidOf(req), req.body.modules))
}
