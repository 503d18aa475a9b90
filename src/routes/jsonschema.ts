// GET /v1/jsonschema?object=<name> (docs/rs-api-notes.md §5.14): the very schemas this server
// validates with and builds its answers from; 406 for an object it has none for.
import type { FastifyInstance } from 'fastify'
import type { SchemaObject } from 'ajv'
import type { Store } from '../store/index.js'
import { invalidSchemaObject } from '../base/errors.js'
import {
  bdbSchema, clusterSchema, licenseSchema, moduleSchema, nodeSchema, policySchema, proxySchema, redisAclSchema, roleSchema, userSchema
} from '../schemas/index.js'

const schemas: Readonly<Record<string, SchemaObject>> = {
  bdb: bdbSchema,
  cluster: clusterSchema,
  cluster_settings: policySchema,
  license: licenseSchema,
  module: moduleSchema,
  node: nodeSchema,
  proxy: proxySchema,
  redis_acl: redisAclSchema,
  role: roleSchema,
  user: userSchema
}

// The docs list no permission for this route (docs/rs-api-notes.md §6.1): any authenticated user.
export default async function jsonschemaRoutes (app: FastifyInstance, _opts: { store: Store }): Promise<void> {
  app.get<{ Querystring: { object?: string } }>('/v1/jsonschema', { config: { access: 'authenticated' } }, async req => {
    const name = req.query.object ?? ''
    if (!Object.hasOwn(schemas, name)) throw invalidSchemaObject(name)
    return schemas[name]
  })
}
