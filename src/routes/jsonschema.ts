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

// Each schema carries the one-line description of its object page, as the example answer does.
const descriptions: Readonly<Record<string, string>> = {
  bdb: 'An object that represents a database',
  cluster: 'An object that represents a cluster',
  cluster_settings: 'An object for cluster resource management settings',
  license: 'An object that represents a cluster license', // no object page: worded as the others
  module: 'An object that represents a Redis module',
  node: 'An object that represents a node in the cluster',
  proxy: 'An object that represents a proxy in the cluster',
  redis_acl: 'An object that represents a Redis access control list (ACL)',
  role: 'An object that represents a role',
  user: 'An API object that represents a Redis Software user'
}
const answers = Object.fromEntries(Object.entries(schemas).map(([k, s]) => [k, { description: descriptions[k], ...s }]))

// The docs list no permission for this route (docs/rs-api-notes.md §6.1): any authenticated user.
export default async function jsonschemaRoutes (app: FastifyInstance, _opts: { store: Store }): Promise<void> {
  app.get<{ Querystring: { object?: string } }>('/v1/jsonschema', { config: { access: 'authenticated' } }, async req => {
    const name = req.query.object ?? ''
    if (!Object.hasOwn(schemas, name)) throw invalidSchemaObject(name)
    return answers[name]
  })
}
