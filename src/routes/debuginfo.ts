// Debug info downloads (requests/bdbs/debuginfo, nodes/debuginfo, cluster/debuginfo and the
// deprecated debuginfo/...): a .tar.gz, streamed, with the documented headers; and GET /v1/bdb_groups,
// undocumented but answered by RS 8.0 as captured.
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Store } from '../store/index.js'
import { debugEntries, type DebugScope } from '../debuginfo/entries.js'
import { tarGzStream } from '../debuginfo/tar.js'
import { UID } from './params.js'

function download (reply: FastifyReply, store: Store, scope: DebugScope): FastifyReply {
  return reply
    .type('application/x-gzip')
    .header('content-disposition', 'attachment; filename=debuginfo.tar.gz')
    .send(tarGzStream(debugEntries(store, scope)))
}

const BDB_UID = ':bdb_uid(^\\d+$)'
const config = { permission: 'view_debugging_info' } as const

export default async function debuginfoRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  // Scopes are resolved before the stream starts, so an unknown uid is a 404, not a broken download.
  const allNodes = (): number[] => store.cluster.nodes().map(n => Number(n.uid))
  const node = (uid: number): number[] => [Number(store.cluster.node(uid).uid)]
  const bdb = (uid: unknown): DebugScope['bdbs'] => [store.bdbs.get(Number(uid))]
  const get = (path: string, scope: (params: Record<string, string>) => DebugScope): void => {
    app.get(path, { config }, async (req, reply) => download(reply, store, scope(req.params as Record<string, string>)))
  }

  get('/v1/bdbs/debuginfo', () => ({ nodes: [], bdbs: store.bdbs.list() }))
  get(`/v1/bdbs/${UID}/debuginfo`, p => ({ nodes: [], bdbs: bdb(p.uid) }))
  get('/v1/cluster/debuginfo', () => ({ nodes: allNodes(), bdbs: store.bdbs.list() }))
  get('/v1/nodes/debuginfo', () => ({ nodes: allNodes(), bdbs: [] }))
  get(`/v1/nodes/${UID}/debuginfo`, p => ({ nodes: node(Number(p.uid)), bdbs: [] }))
  get('/v1/debuginfo/all', () => ({ nodes: allNodes(), bdbs: store.bdbs.list() }))
  get(`/v1/debuginfo/all/bdb/${BDB_UID}`, p => ({ nodes: allNodes(), bdbs: bdb(p.bdb_uid) }))
  // The current node: the one whose listener was asked (a node-local request, docs/multi-node.md).
  get('/v1/debuginfo/node', () => ({ nodes: node(app.nodeUid), bdbs: [] }))
  get(`/v1/debuginfo/node/bdb/${BDB_UID}`, p => ({ nodes: node(app.nodeUid), bdbs: bdb(p.bdb_uid) }))

  app.get('/v1/bdb_groups', { config: { permission: 'view_all_bdbs_info' } }, async () => ({ bdb_groups: store.bdbTopology.groups() }))
}
