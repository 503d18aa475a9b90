// The three writes of an RS collection with `?dry_run`: POST <path> (create), PUT <path>/<uid>
// (update) and DELETE <path>/<uid>, each one store call; the partner of collectionReads.
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify'
import type { SchemaObject } from '../schemas/common.js'
import { isDryRun, type WriteQuery } from './present.js'
import { UID, uidOf } from './params.js'

interface DryRun { dryRun: boolean }

interface Writes<T, Input> {
  /** the collection, e.g. `/v1/roles` */
  path: string
  create: (body: Input, options: DryRun, req: FastifyRequest) => T
  update: (uid: number, body: Input, options: DryRun, req: FastifyRequest) => T
  delete: (uid: number, options: DryRun, req: FastifyRequest) => unknown
  /** the body schemas of create, then update */
  schemas: [SchemaObject, SchemaObject]
  /** the route config (permission, self) of create, update and delete */
  config: [FastifyContextConfig, FastifyContextConfig, FastifyContextConfig]
}

type Write<Input> = { Body: Input, Querystring: WriteQuery }

export function collectionWrites<T, Input> (app: FastifyInstance, w: Writes<T, Input>): void {
  const [createConfig, updateConfig, deleteConfig] = w.config
  const dryRun = (req: FastifyRequest<{ Querystring: WriteQuery }>): DryRun => ({ dryRun: isDryRun(req.query) })
  app.post<Write<Input>>(w.path, { config: createConfig, schema: { body: w.schemas[0] } },
    async req => w.create(req.body as Input, dryRun(req), req))
  app.put<Write<Input>>(`${w.path}/${UID}`, { config: updateConfig, schema: { body: w.schemas[1] } },
    async req => w.update(uidOf(req), req.body as Input, dryRun(req), req))
  app.delete<{ Querystring: WriteQuery }>(`${w.path}/${UID}`, { config: deleteConfig },
    async req => w.delete(uidOf(req), dryRun(req), req))
}
