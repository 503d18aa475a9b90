// The whole RS API surface the mock serves, one plugin per resource.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import bdbRoutes from './bdbs.js'
import bootstrapRoutes from './bootstrap.js'
import clusterRoutes from './cluster.js'
import nodeRoutes from './nodes.js'
import licenseRoutes from './license.js'
import moduleRoutes from './modules.js'
import actionRoutes from './actions.js'
import shardRoutes from './shards.js'
import logRoutes from './logs.js'
import userRoutes from './users.js'
import roleRoutes from './roles.js'
import redisAclRoutes from './redis-acls.js'
import statsRoutes from './stats.js'
import alertRoutes from './alerts.js'
import availabilityRoutes from './availability.js'
import proxyRoutes from './proxies.js'
import jsonschemaRoutes from './jsonschema.js'
import userPasswordRoutes from './user-passwords.js'
import settingsRoutes from './settings.js'
import certificateRoutes from './certificates.js'
import ldapMappingRoutes from './ldap-mappings.js'
import securityRoutes from './security.js'
import serviceRoutes from './services.js'
import clusterInfoRoutes from './cluster-info.js'
import replicationRoutes from './replication.js'
import crdbRoutes from './crdbs.js'
import bdbActionRoutes from './bdb-actions.js'
import bdbConfigRoutes from './bdb-config.js'
import bdbTopologyRoutes from './bdb-topology.js'
import shardActionRoutes from './shard-actions.js'
import debuginfoRoutes from './debuginfo.js'
import customModuleRoutes from './custom-modules.js'
import clusterActionRoutes from './cluster-actions.js'

export default async function routes (app: FastifyInstance, opts: { store: Store }): Promise<void> {
  await app.register(bootstrapRoutes, opts)
  await app.register(bdbRoutes, opts)
  await app.register(clusterRoutes, opts)
  await app.register(nodeRoutes, opts)
  await app.register(licenseRoutes, opts)
  await app.register(moduleRoutes, opts)
  await app.register(actionRoutes, opts)
  await app.register(shardRoutes, opts)
  await app.register(logRoutes, opts)
  await app.register(userRoutes, opts)
  await app.register(roleRoutes, opts)
  await app.register(redisAclRoutes, opts)
  await app.register(statsRoutes, opts)
  await app.register(alertRoutes, opts)
  await app.register(availabilityRoutes, opts)
  await app.register(proxyRoutes, opts)
  await app.register(jsonschemaRoutes, opts)
  await app.register(userPasswordRoutes, opts)
  await app.register(settingsRoutes, opts)
  await app.register(certificateRoutes, opts)
  await app.register(ldapMappingRoutes, opts)
  await app.register(securityRoutes, opts)
  await app.register(serviceRoutes, opts)
  await app.register(clusterInfoRoutes, opts)
  await app.register(replicationRoutes, opts)
  await app.register(crdbRoutes, opts)
  await app.register(bdbActionRoutes, opts)
  await app.register(bdbConfigRoutes, opts)
  await app.register(bdbTopologyRoutes, opts)
  await app.register(shardActionRoutes, opts)
  await app.register(debuginfoRoutes, opts)
  await app.register(customModuleRoutes, opts)
  await app.register(clusterActionRoutes, opts)
}
