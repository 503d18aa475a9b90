// The node's processes (docs/rs-api-notes.md §5.14). The page names no permission: reading is
// view_cluster_info, operating them update_cluster (docs/decisions.md #26).
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { arr, obj, str, strEnum } from '../schemas/common.js'

const operationSchema = obj({ operation_type: strEnum('start', 'stop', 'restart'), services: arr(str({ minLength: 1 }), { minItems: 1 }) },
  ['operation_type', 'services'])

type Operation = { Body: { operation_type: 'start' | 'stop' | 'restart', services: string[] } }

export default async function serviceRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/v1/local/services', { config: { permission: 'view_cluster_info' } }, async () => store.services.list())

  // The mock's cluster has one node: the local one is the primary.
  for (const path of ['/v1/local/services', '/v1/services']) {
    app.post<Operation>(path, { config: { permission: 'update_cluster' }, schema: { body: operationSchema } },
      async req => store.services.operate(req.body.operation_type, req.body.services))
  }
}
