// One JSON Schema (draft-07, ajv 8 strict-mode clean) per resource, and the map from each
// fixture file to the schema its content must satisfy.
import { arr, type SchemaObject } from './common.js'
import { bdbSchema } from './bdb.js'
import { bootstrapSchema } from './bootstrap.js'
import { clusterSchema, policySchema } from './cluster.js'
import { licenseSchema } from './license.js'
import { moduleSchema } from './module.js'
import { nodeSchema } from './node.js'
import { proxySchema } from './proxy.js'
import { redisAclSchema } from './redis-acl.js'
import { roleSchema } from './role.js'
import { fixtureUserSchema } from './user.js'

export * from './common.js'
export * from './bdb.js'
export * from './bootstrap.js'
export * from './cluster.js'
export * from './license.js'
export * from './module.js'
export * from './node.js'
export * from './proxy.js'
export * from './redis-acl.js'
export * from './role.js'
export * from './user.js'
export * from './settings.js'

export type FixtureFile =
  | 'cluster.json' | 'policy.json' | 'nodes.json' | 'users.json' | 'roles.json'
  | 'redis_acls.json' | 'modules.json' | 'bdbs.json' | 'license.json' | 'bootstrap.json'
  | 'proxies.json'

/** Fixture file name -> schema of its whole content (collections are arrays of the object). */
export const fixtureFiles: Readonly<Record<FixtureFile, SchemaObject>> = Object.freeze({
  'cluster.json': clusterSchema,
  'policy.json': policySchema,
  'nodes.json': arr(nodeSchema),
  'users.json': arr(fixtureUserSchema),
  'roles.json': arr(roleSchema),
  'redis_acls.json': arr(redisAclSchema),
  'modules.json': arr(moduleSchema),
  'bdbs.json': arr(bdbSchema),
  'license.json': licenseSchema,
  'bootstrap.json': bootstrapSchema,
  'proxies.json': arr(proxySchema)
})
