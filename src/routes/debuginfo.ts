// Database debug info (requests/bdbs/debuginfo): a .tar.gz download, streamed, with the
// documented headers; and GET /v1/bdb_groups, undocumented but answered by RS 8.0 as captured.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Store } from '../store/index.js'
import type { Bdb } from '../schemas/bdb.js'
import { bdbDebugEntries } from '../debuginfo/bdbs.js'
import { tarGzStream } from '../debuginfo/tar.js'
import { UID, uidOf } from './params.js'

function download (reply: FastifyReply, store: Store, bdbs: Bdb[]): FastifyReply {
  return reply
    .type('application/x-gzip')
    .header('content-disposition', 'attachment; filename=debuginfo.tar.gz')
    .send(tarGzStream(bdbDebugEntries(store, bdbs)))
}

export default async function debuginfoRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/v1/bdbs/debuginfo', { config: { permission: 'view_debugging_info' } },
    async (_req, reply) => download(reply, store, store.bdbs.list()))

  app.get(`/v1/bdbs/${UID}/debuginfo`, { config: { permission: 'view_debugging_info' } },
    async (req, reply) => download(reply, store, [store.bdbs.get(uidOf(req))]))

  app.get('/v1/bdb_groups', { config: { permission: 'view_all_bdbs_info' } }, async () => ({ bdb_groups: store.bdbTopology.groups() }))
}
