// Active-Active databases and their tasks (docs/rs-api-notes.md §5.14). Writes
// answer with a CRDB task; a request from another cluster's coordinator (COORDINATOR_HEADER)
// is applied on this cluster only.
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, Json } from '../store/index.js'
import { crdbCreateSchema, crdbModifySchema, crdbPatchSchema, crdbPurgeSchema, crdbUpgradeSchema } from '../schemas/crdb.js'
import { COORDINATOR_HEADER, type CrdbWrite } from '../store/active-active/index.js'
import { invalidHeader } from '../base/errors.js'
import { isDryRun, isTrue, type WriteQuery } from './present.js'

type Guid = { Params: { guid: string } }
const GUID = '/v1/crdbs/:guid'

/** Where the request came from and what it asks: peer, dry run, X-Result-TTL. */
function write (req: FastifyRequest): CrdbWrite {
  const raw = req.headers['x-result-ttl']
  let ttlSec: number | undefined
  if (raw !== undefined) {
    ttlSec = Number(raw)
    if (!/^\d{1,6}$/.test(String(raw)) || ttlSec < 1) throw invalidHeader(`X-Result-TTL must be a positive number of seconds, not '${String(raw)}'`)
  }
  return { peer: req.headers[COORDINATOR_HEADER] !== undefined, dryRun: isDryRun(req.query as WriteQuery), ttlSec }
}
const guidOf = (req: FastifyRequest): string => (req.params as { guid: string }).guid

export default async function crdbRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const { crdbs } = store
  const { tasks } = crdbs
  // The captured answer wraps the list in an object (the docs say a bare array).
  app.get('/v1/crdbs', { config: { permission: 'view_crdb_list' } }, async () => ({ crdbs: crdbs.list() }))
  app.get<Guid>(GUID, { config: { permission: 'view_crdb' } }, async req => crdbs.get(guidOf(req)))
  app.post<{ Body: Json }>('/v1/crdbs', { config: { permission: 'create_crdb' }, schema: { body: crdbCreateSchema } },
    async req => crdbs.create(req.body, write(req)))
  app.patch<Guid & { Body: Json }>(GUID, { config: { permission: 'update_crdb' }, schema: { body: crdbPatchSchema } },
    async req => crdbs.patch(guidOf(req), req.body, write(req)))
  app.delete<Guid>(GUID, { config: { permission: 'delete_crdb' } }, async req => crdbs.delete(guidOf(req), write(req)))

  app.put<Guid>(`${GUID}/flush`, { config: { permission: 'flush_crdb' } }, async req => crdbs.flush(guidOf(req), write(req)))
  app.put<Guid & { Body: { instances: number[] } }>(`${GUID}/purge`, { config: { permission: 'purge_instance' }, schema: { body: crdbPurgeSchema } },
    async req => crdbs.purge(guidOf(req), req.body.instances, write(req)))
  app.post<Guid & { Body: Json }>(`${GUID}/updates`, { config: { permission: 'update_crdb' }, schema: { body: crdbModifySchema } },
    async req => crdbs.modify(guidOf(req), req.body, write(req)))
  app.post<Guid & { Body: Json }>(`${GUID}/upgrade`, { config: { permission: 'upgrade_crdb' }, schema: { body: crdbUpgradeSchema } },
    async req => crdbs.upgrade(guidOf(req), req.body ?? {}, write(req)))
  app.get<Guid>(`${GUID}/health_report`, { config: { permission: 'view_crdb' } }, async req => crdbs.healthReport(guidOf(req)))

  app.get('/v1/crdb_tasks', { config: { permission: 'view_crdb_task_list' } }, async () => tasks.list())
  app.get<{ Params: { id: string } }>('/v1/crdb_tasks/:id', { config: { permission: 'view_crdb_task' } }, async req => tasks.get(req.params.id))
  // No permission on the docs page: canceling changes the CRDB, so update_crdb (docs/decisions.md #35).
  app.post<{ Params: { id: string }, Querystring: { force?: string } }>('/v1/crdb_tasks/:id/actions/cancel',
    { config: { permission: 'update_crdb' } }, async req => tasks.cancel(req.params.id, isTrue(req.query.force)))
}
