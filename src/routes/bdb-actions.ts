// Database actions on data and traffic (docs/rs-api-notes.md §5.7): export, import, the three status
// resets, stop_traffic and resume_traffic. Export, import and the resets answer 200 with an
// empty body; progress shows in the database's *_status fields and in GET /v2/actions.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Json, Store } from '../store/index.js'
import type { DataOperation } from '../store/databases/index.js'
import { exportBodySchema, importBodySchema } from '../schemas/bdb-actions.js'
import { UID, uidOf } from './params.js'
import type { Permission } from '../base/permissions.js'

const empty = (reply: FastifyReply) => reply.code(200).send()

const RESET_PERMISSION: Record<DataOperation, Permission> = {
  backup: 'reset_bdb_current_backup_status',
  export: 'reset_bdb_current_export_status',
  import: 'reset_bdb_current_import_status'
}

export default async function bdbActionRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const ops = store.bdbOps
  const base = `/v1/bdbs/${UID}/actions`

  app.post(`${base}/export`, { config: { permission: 'start_bdb_export' }, schema: { body: exportBodySchema } },
    async (req, reply) => { ops.export(uidOf(req)); return empty(reply) })

  // A bodiless import (Content-Length: 0) reuses the database's stored dataset_import_sources.
  app.post<{ Body: Json }>(`${base}/import`, {
    config: { permission: 'start_bdb_import' },
    schema: { body: importBodySchema },
    preValidation: (req, _reply, done) => { req.body ??= {}; done() }
  }, async (req, reply) => { ops.import(uidOf(req), req.body); return empty(reply) })

  for (const op of ['backup', 'export', 'import'] as const) {
    app.put(`${base}/${op}_reset_status`, { config: { permission: RESET_PERMISSION[op] } },
      async (req, reply) => { ops.resetStatus(uidOf(req), op); return empty(reply) })
  }

  app.post(`${base}/stop_traffic`, { config: { permission: 'update_bdb_with_action' } }, async req => ops.traffic(uidOf(req), true))
  app.post(`${base}/resume_traffic`, { config: { permission: 'update_bdb_with_action' } }, async req => ops.traffic(uidOf(req), false))
}
