// Module capabilities, DNS suffixes, migration status, usage report (docs/rs-api-notes.md §5.14). The suffix
// and usage report pages name no permission: view_cluster_info, as the cluster's other reads.
import { zlib } from '../base/zlib.js'
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { UID, uidOf } from './params.js'

export default async function clusterInfoRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const info = store.clusterInfo
  app.get('/v1/cluster/module-capabilities', { config: { permission: 'view_cluster_modules' } }, async () => info.moduleCapabilities())

  app.get('/v1/suffixes', { config: { permission: 'view_cluster_info' } }, async () => info.suffixes())
  app.get<{ Params: { name: string } }>('/v1/suffix/:name', { config: { permission: 'view_cluster_info' } }, async req => info.suffix(req.params.name))

  app.get(`/v1/migrations/${UID}`, { config: { permission: 'view_bdb_info' } }, async req => info.migration(uidOf(req)))

  // NDJSON, gzipped when the client accepts it.
  app.get('/v1/usage_report', { config: { permission: 'view_cluster_info' } }, async (req, reply) => {
    const text = info.usageReport()
    reply.type('application/x-ndjson')
    if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.send(text)
    return reply.header('content-encoding', 'gzip').send(zlib().gzipSync(text))
  })
}
