// Recovery, rebalancing and revamping of a database's shards (docs/rs-api-notes.md §5.7). With ?dry_run
// rebalance and revamp answer the blueprint; otherwise an action_uid to poll.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { PlacementQuery, RevampBody } from '../store/databases/index.js'
import { isDryRun } from './present.js'
import { recoverBodySchema, revampBodySchema } from '../schemas/bdb-actions.js'
import { UID, uidOf } from './params.js'

const bodyOptional = { preValidation: (req: { body: unknown }, _reply: unknown, done: () => void) => { req.body ??= {}; done() } }

export default async function bdbTopologyRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const topo = store.bdbTopology
  const base = `/v1/bdbs/${UID}/actions`

  app.get(`${base}/recover`, { config: { permission: 'view_bdb_recovery_plan' } }, async req => topo.recoveryPlan(uidOf(req)))

  // The plan in the body (data_files, ignore_errors, recover_without_data) is validated; the mock
  // has no files to choose between, so every plan recovers the same way.
  app.post(`${base}/recover`, { config: { permission: 'start_bdb_recovery' }, schema: { body: recoverBodySchema }, ...bodyOptional },
    async req => topo.recover(uidOf(req)))

  // The docs give this action view_bdb_info (docs/rs-api-notes.md §6.1 endpoint map, "sic").
  app.put<{ Querystring: { dry_run?: string, only_failovers?: string, max_operations?: string } }>(`${base}/rebalance`,
    { config: { permission: 'view_bdb_info' } }, async req => topo.rebalance(uidOf(req), req.query))

  app.put<{ Body: RevampBody, Querystring: { dry_run?: string } }>(`${base}/revamp`,
    { config: { permission: 'update_bdb_with_action' }, schema: { body: revampBodySchema }, ...bodyOptional },
    async req => topo.revamp(uidOf(req), req.body, isDryRun(req.query)))

  app.get<{ Querystring: PlacementQuery }>(`${base}/optimize_shards_placement`, { config: { permission: 'view_bdb_info' } },
    async req => topo.optimize(uidOf(req), req.query))
}
