// The two reads every RS collection has: GET <path> (the list) and GET <path>/<uid> (one object),
// both projected by ?fields= (docs/decisions.md #8). The hot /v1/bdbs pair has its own (cached) version.
import type { FastifyContextConfig, FastifyInstance } from 'fastify'
import { parseFields, project } from './present.js'
import { UID } from './params.js'

interface Reads<T extends object> {
  /** the collection, e.g. `/v1/roles` */
  path: string
  /** the object's route parameter; default a numeric uid */
  param?: string
  list: (query: ReadQuery) => T[]
  get: (uid: string, query: ReadQuery) => T
  /** the route config (permission, self) of the list, then of one object */
  config: [FastifyContextConfig, FastifyContextConfig]
}

/** The query string as fastify parsed it: a repeated parameter is an array. */
export type ReadQuery = Record<string, string | string[] | undefined>
type Query = { Querystring: ReadQuery & { fields?: string } }

export function collectionReads<T extends object> (app: FastifyInstance, { path, param = `${UID}`, list, get, config: [all, one] }: Reads<T>): void {
  app.get<Query>(path, { config: all }, async req => {
    const fields = parseFields(req.query.fields)
    return list(req.query).map(x => project(x, fields))
  })
  app.get<Query & { Params: { uid: string } }>(`${path}/${param}`, { config: one },
    async req => project(get(req.params.uid, req.query), parseFields(req.query.fields)))
}
