// The whole RS API surface the mock serves: one function per resource, each adding its routes to
// this one plugin's context, called directly: a plugin per resource would cost the start-up a
// fastify context and an avvio queue each. Only custom-modules.ts keeps a context of its own: its
// multipart parser must not reach the other routes.
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

type RouteGroup = (app: FastifyInstance, opts: { store: Store }) => Promise<void>

const GROUPS: RouteGroup[] = [
  bootstrapRoutes,
  bdbRoutes,
  clusterRoutes,
  nodeRoutes,
  licenseRoutes,
  moduleRoutes,
  actionRoutes,
  shardRoutes,
  logRoutes,
  userRoutes,
  roleRoutes,
  redisAclRoutes,
  statsRoutes,
  alertRoutes,
  availabilityRoutes,
  proxyRoutes,
  jsonschemaRoutes,
  userPasswordRoutes,
  settingsRoutes,
  certificateRoutes,
  ldapMappingRoutes,
  securityRoutes,
  serviceRoutes,
  clusterInfoRoutes,
  replicationRoutes,
  crdbRoutes,
  bdbActionRoutes,
  bdbConfigRoutes,
  bdbTopologyRoutes,
  shardActionRoutes,
  debuginfoRoutes,
  clusterActionRoutes
]

export default async function routes (app: FastifyInstance, opts: { store: Store }): Promise<void> {
  for (const group of GROUPS) await group(app, opts)
  await app.register(customModuleRoutes, opts)
}
