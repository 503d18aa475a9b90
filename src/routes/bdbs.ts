import type { FastifyInstance } from 'fastify'
import type { Store, Json } from '../store/index.js'
import { isDryRun, isTrue, parseFields, project, type WriteQuery } from './present.js'
import { ReadCache } from './read-cache.js'
import { bdbCreateSchema, bdbUpdateSchema, bdbV2CreateSchema } from '../schemas/index.js'
import { UID, uidOf } from './params.js'

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
const full = presentBdb({})

export default async function bdbRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // The two hottest reads: their bytes are kept per URL until the state changes, and they answer
  // synchronously (fastify sends a returned value; a throw is an error): no promise per request.
  const cache = new ReadCache(() => store.generation)
  app.get<{ Querystring: ListQuery }>('/v1/bdbs', { config: { permission: 'view_all_bdbs_info' } }, (req, reply) => {
    reply.type('application/json')
    return cache.get(req.url, () => store.bdbs.list().map(presentBdb(req.query)))
  })

  app.get<{ Params: Uid, Querystring: ListQuery }>(`/v1/bdbs/${UID}`, { config: { permission: 'view_bdb_info' } }, (req, reply) => {
    reply.type('application/json')
    return cache.get(req.url, () => presentBdb(req.query)(store.bdbs.get(uidOf(req))))
  })

  app.post<{ Body: Json, Querystring: WriteQuery }>('/v1/bdbs', { config: { permission: 'create_bdb' }, schema: { body: bdbCreateSchema } },
    async req => full(store.bdbs.create(req.body, dryRun(req.query))))

  // The recovery plan is accepted and ignored: the mock has no persistence files to recover from.
  app.post<{ Body: { bdb: Json }, Querystring: WriteQuery }>('/v2/bdbs', { config: { permission: 'create_bdb' }, schema: { body: bdbV2CreateSchema } },
    async req => full(store.bdbs.create(req.body.bdb, dryRun(req.query))))

  app.put<{ Params: Uid, Body: Json, Querystring: WriteQuery }>(`/v1/bdbs/${UID}`, { config: { permission: 'update_bdb' }, schema: { body: bdbUpdateSchema } },
    async req => full(store.bdbs.update(uidOf(req), req.body, dryRun(req.query))))

  app.put<{ Params: Uid, Querystring: WriteQuery }>(`/v1/bdbs/${UID}/flush`, { config: { permission: 'update_bdb_with_action' } },
    async req => full(store.bdbs.flush(uidOf(req), dryRun(req.query))))

  app.put<{ Params: Uid, Querystring: WriteQuery }>(`/v1/bdbs/${UID}/reset_admin_pass`, { config: { permission: 'update_bdb_with_action' } },
    async req => full(store.bdbs.resetAdminPass(uidOf(req), dryRun(req.query))))

  app.delete<{ Params: Uid }>(`/v1/bdbs/${UID}`, { config: { permission: 'delete_bdb' } },
    async req => store.bdbs.delete(uidOf(req)))

  app.get<{ Params: Uid, Querystring: ListQuery }>(`/v1/bdbs/${UID}/shards`, { config: { permission: 'view_bdb_info' } },
    async req => store.shards.ofBdb(store.bdbs.get(uidOf(req))).map(s => project(s, parseFields(req.query.fields))))
}
