// Test control of the database operations: make the next export, import or backup of a
// database fail with a documented *_failure_reason, run a scheduled backup now (RS has no
// on-demand backup endpoint), put a database in `recovery`. Registered inside the control
// API's authenticated scope.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { DataOperation } from '../store/databases/index.js'
import { obj, str, strEnum } from '../schemas/index.js'

const failSchema = obj({ operation: strEnum('export', 'import', 'backup'), reason: str({ minLength: 1 }) }, ['operation', 'reason'])

export default async function operationsControl (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const open = { access: 'control' as const }
  const uid = (req: { params: unknown }) => Number((req.params as { uid: string }).uid)

  app.post<{ Body: { operation: DataOperation, reason: string } }>('/_mock/bdbs/:uid(^\\d+$)/fail_next',
    { config: open, schema: { body: failSchema } },
    async req => ({ uid: uid(req), fail_next: store.bdbOps.failNext(uid(req), req.body.operation, req.body.reason).fail_next }))

  app.post('/_mock/bdbs/:uid(^\\d+$)/backup', { config: open }, async req => {
    store.bdbOps.backup(uid(req))
    const { backup_status: status, backup_progress: progress } = store.bdbs.get(uid(req))
    return { uid: uid(req), backup_status: status, backup_progress: progress }
  })

  // As after a cluster recovery: the database waits in `recovery` for POST .../actions/recover.
  app.post('/_mock/bdbs/:uid(^\\d+$)/recovery', { config: open }, async req => {
    const { status } = store.bdbTopology.markForRecovery(uid(req))
    return { uid: uid(req), status }
  })
}
