import type { FastifyInstance } from 'fastify'
import type { Store, Json } from '../store/index.js'
import { isDryRun, isTrue, parseFields, project, type WriteQuery } from '../present.js'
import { ReadCache } from '../read-cache.js'
import { bdbCreateSchema, bdbUpdateSchema, bdbV2CreateSchema } from '../schemas/index.js'
import { invalidHeader } from '../errors.js'

// Module configuration sub-objects only appear with ?extended=true (reference §2.4).
const EXTENDED_ONLY = new Set(['search', 'timeseries', 'probabilistic'])

export interface ListQuery { fields?: string, extended?: string }
type Uid = { uid: string }

export function presentBdb (query: ListQuery) {
  const fields = parseFields(query.fields)
  const omit = isTrue(query.extended) ? undefined : EXTENDED_ONLY
  return <T extends object>(bdb: T) => project(bdb, fields, omit)
}

const dryRun = (q: WriteQuery) => ({ dryRun: isDryRun(q) })

function stateIdHeader (raw: string | string[] | undefined): number | undefined {
  if (raw === undefined) return undefined
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim())) throw invalidHeader(`cluster-state-id must be an integer, not ${String(raw)}`)
  return Number(raw)
}
const full = presentBdb({})

export default async function bdbRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // The two hottest reads: their bytes are kept per URL until the state changes, and they answer
  // synchronously (fastify sends a returned value; a throw is an error): no promise per request.
  const cache = new ReadCache(() => store.core.generation)
  app.get<{ Querystring: ListQuery }>('/v1/bdbs', { config: { permission: 'view_all_bdbs_info' } }, (req, reply) => {
    reply.type('application/json')
    return cache.get(req.url, () => store.bdbs.list().map(presentBdb(req.query)))
  })

  app.get<{ Params: Uid, Querystring: ListQuery }>('/v1/bdbs/:uid(^\\d+$)', { config: { permission: 'view_bdb_info' } }, (req, reply) => {
    reply.type('application/json')
    return cache.get(req.url, () => presentBdb(req.query)(store.bdbs.get(Number(req.params.uid))))
  })

  app.post<{ Body: Json, Querystring: WriteQuery }>('/v1/bdbs', { config: { permission: 'create_bdb' }, schema: { body: bdbCreateSchema } },
    async req => full(store.bdbs.create(req.body, dryRun(req.query))))

  // The recovery plan is accepted and ignored: the mock has no persistence files to recover from.
  app.post<{ Body: { bdb: Json }, Querystring: WriteQuery }>('/v2/bdbs', { config: { permission: 'create_bdb' }, schema: { body: bdbV2CreateSchema } },
    async req => full(store.bdbs.create(req.body.bdb, dryRun(req.query))))

  // With shards_blueprint, a cluster-state-id request header pins the state the blueprint was made for.
  app.put<{ Params: Uid, Body: Json, Querystring: WriteQuery }>('/v1/bdbs/:uid(^\\d+$)', { config: { permission: 'update_bdb' }, schema: { body: bdbUpdateSchema } },
    async req => full(store.bdbs.update(Number(req.params.uid), req.body, { ...dryRun(req.query), clusterStateId: stateIdHeader(req.headers['cluster-state-id']) })))

  app.put<{ Params: Uid, Querystring: WriteQuery }>('/v1/bdbs/:uid(^\\d+$)/flush', { config: { permission: 'update_bdb_with_action' } },
    async req => full(store.bdbs.flush(Number(req.params.uid), dryRun(req.query))))

  app.put<{ Params: Uid, Querystring: WriteQuery }>('/v1/bdbs/:uid(^\\d+$)/reset_admin_pass', { config: { permission: 'update_bdb_with_action' } },
    async req => full(store.bdbs.resetAdminPass(Number(req.params.uid), dryRun(req.query))))

  app.delete<{ Params: Uid }>('/v1/bdbs/:uid(^\\d+$)', { config: { permission: 'delete_bdb' } },
    async req => store.bdbs.delete(Number(req.params.uid)))

  app.get<{ Params: Uid, Querystring: ListQuery }>('/v1/bdbs/:uid(^\\d+$)/shards', { config: { permission: 'view_bdb_info' } },
    async req => store.shards.ofBdb(store.bdbs.get(Number(req.params.uid))).map(s => project(s, parseFields(req.query.fields))))
}
