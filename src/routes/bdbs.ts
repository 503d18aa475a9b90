import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, Json, UserRecord } from '../store/index.js'
import { infoKeys, isDryRun, isTrue, parseFields, project, type WriteQuery } from './present.js'
import { ReadCache } from './read-cache.js'
import { bdbCreateSchema, bdbUpdateSchema, bdbV2CreateSchema } from '../schemas/index.js'
import { bdbCommandSchema } from '../schemas/bdb-actions.js'
import { optionalBody, UID, uidOf } from './params.js'
import { invalidHeader } from '../base/errors.js'

// Module configuration sub-objects only appear with ?extended=true (docs/rs-api-notes.md §2.4).
const EXTENDED_ONLY = new Set(['search', 'timeseries', 'probabilistic'])
// docs/decisions.md #22: a caller without view_redis_pass (docs/rs-api-notes.md §6.1) reads bdbs without the database
// passwords, with or without ?fields=, as if the fields did not exist.
const SECRETS = ['authentication_admin_pass', 'authentication_redis_pass', 'authentication_sasl_pass']
const EXTENDED_ONLY_AND_SECRETS = new Set([...EXTENDED_ONLY, ...SECRETS])
const SECRET_SET = new Set(SECRETS)

export interface ListQuery { fields?: string, extended?: string, extra_info_keys?: string | string[] }
type Uid = { uid: string }

export function presentBdb (query: ListQuery, secrets = true) {
  const asked = parseFields(query.fields)
  const fields = secrets ? asked : asked?.filter(f => !SECRET_SET.has(f))
  const extended = isTrue(query.extended)
  const omit = secrets ? (extended ? undefined : EXTENDED_ONLY) : (extended ? SECRET_SET : EXTENDED_ONLY_AND_SECRETS)
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
  // Keyed by what the caller may see as well as the URL: a viewer never gets an admin's bytes.
  const cache = new ReadCache(() => store.generation)
  const secrets = (req: FastifyRequest) => (req.grant ?? store.access.grant(req.user as UserRecord)).allows('view_redis_pass')
  const key = (req: FastifyRequest, seesSecrets: boolean) => `${seesSecrets ? 's' : '-'}${req.url}`
  app.get<{ Querystring: ListQuery }>('/v1/bdbs', { config: { permission: 'view_all_bdbs_info' } }, (req, reply) => {
    reply.type('application/json')
    const seesSecrets = secrets(req)
    return cache.get(key(req, seesSecrets), () => store.bdbs.list().map(presentBdb(req.query, seesSecrets)))
  })

  app.get<{ Params: Uid, Querystring: ListQuery }>(`/v1/bdbs/${UID}`, { config: { permission: 'view_bdb_info' } }, (req, reply) => {
    reply.type('application/json')
    const seesSecrets = secrets(req)
    return cache.get(key(req, seesSecrets), () => presentBdb(req.query, seesSecrets)(store.bdbs.get(uidOf(req))))
  })

  app.post<{ Body: Json, Querystring: WriteQuery }>('/v1/bdbs', { config: { permission: 'create_bdb' }, schema: { body: bdbCreateSchema } },
    async req => full(store.bdbs.create(req.body, dryRun(req.query))))

  // The recovery plan is accepted and ignored: the mock has no persistence files to recover from.
  app.post<{ Body: { bdb: Json }, Querystring: WriteQuery }>('/v2/bdbs', { config: { permission: 'create_bdb' }, schema: { body: bdbV2CreateSchema } },
    async req => full(store.bdbs.create(req.body.bdb, dryRun(req.query))))

  // With shards_blueprint, a cluster-state-id request header pins the state the blueprint was made for.
  app.put<{ Params: Uid, Body: Json, Querystring: WriteQuery }>(`/v1/bdbs/${UID}`, { config: { permission: 'update_bdb' }, schema: { body: bdbUpdateSchema } },
    async req => full(store.bdbs.update(uidOf(req), req.body, { ...dryRun(req.query), clusterStateId: stateIdHeader(req.headers['cluster-state-id']) })))

  // The action routes take the same (optional) body as PUT /v1/bdbs/{uid}, applied before the action.
  const withAction = {
    config: { permission: 'update_bdb_with_action' as const, optionalBody: true }, schema: { body: bdbUpdateSchema }, preValidation: optionalBody
  }
  app.put<{ Params: Uid, Body: Json, Querystring: WriteQuery }>(`/v1/bdbs/${UID}/flush`, withAction,
    async req => full(store.bdbs.flush(uidOf(req), req.body, dryRun(req.query))))

  app.put<{ Params: Uid, Body: Json, Querystring: WriteQuery }>(`/v1/bdbs/${UID}/reset_admin_pass`, withAction,
    async req => full(store.bdbs.resetAdminPass(uidOf(req), req.body, dryRun(req.query))))

  // Not in the public reference (docs/differences.md); permissions as for database writes.
  app.post<{ Params: Uid, Body: { command: string, args?: Array<string | number> } }>(`/v1/bdbs/${UID}/command`,
    { config: { permission: 'update_bdb' }, schema: { body: bdbCommandSchema } }, async req => await store.bdbCommands.command(uidOf(req), req.body))

  app.delete<{ Params: Uid }>(`/v1/bdbs/${UID}`, { config: { permission: 'delete_bdb' } },
    async req => store.bdbs.delete(uidOf(req)))

  app.get<{ Params: Uid, Querystring: ListQuery }>(`/v1/bdbs/${UID}/shards`, { config: { permission: 'view_bdb_info' } },
    async req => store.shards.ofBdb(store.bdbs.get(uidOf(req)), infoKeys(req.query.extra_info_keys)).map(s => project(s, parseFields(req.query.fields))))
}
