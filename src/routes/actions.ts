import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { UID, uidOf } from './params.js'

type Uid = { uid: string }
const permission = 'view_status_of_cluster_action'

// v1 splits tasks from state machines and writes a task's progress as a string; v2 is one flat list (docs/rs-api-notes.md §5.8).
export default async function actionRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/v1/actions', { config: { permission } }, async () => store.actions.listV1())

  app.get<{ Params: Uid }>('/v1/actions/:uid', { config: { permission } }, async req => store.actions.getV1(req.params.uid))

  app.get('/v2/actions', { config: { permission } }, async () => store.actions.listV2())

  app.get<{ Params: Uid }>('/v2/actions/:uid', { config: { permission } }, async req => store.actions.getV2(req.params.uid))

  app.get<{ Params: Uid }>(`/v1/actions/bdb/${UID}`, { config: { permission } }, async req => {
    const bdb = store.bdbs.get(uidOf(req))
    return store.actions.forBdb(bdb.uid)
  })
}
