import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { isTrue, parseFields, project } from '../present.js'

// Module configuration sub-objects only appear with ?extended=true (reference §2.4).
const EXTENDED_ONLY = new Set(['search', 'timeseries', 'probabilistic'])

export interface ListQuery { fields?: string, extended?: string }

export function presentBdb (query: ListQuery) {
  const fields = parseFields(query.fields)
  const omit = isTrue(query.extended) ? undefined : EXTENDED_ONLY
  return <T extends object>(bdb: T) => project(bdb, fields, omit)
}

export default async function bdbRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: ListQuery }>('/v1/bdbs', { config: { permission: 'view_all_bdbs_info' } },
    async req => store.bdbs.list().map(presentBdb(req.query)))

  app.get<{ Params: { uid: string }, Querystring: ListQuery }>('/v1/bdbs/:uid(^\\d+$)', { config: { permission: 'view_bdb_info' } },
    async req => presentBdb(req.query)(store.bdbs.get(Number(req.params.uid))))
}
