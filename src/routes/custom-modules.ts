// Custom modules (requests/modules/user-defined): the module object in the cluster
// (POST/DELETE /v2/modules/user-defined) and its artifact on this node, uploaded as
// multipart/form-data holding a .zip (the one body that is not JSON, docs/decisions.md #7).
import type { FastifyInstance, FastifyReply } from 'fastify'
import type { Json, Store } from '../store/index.js'
import { customModuleSchema } from '../schemas/module.js'
import { multipartFile, unzip } from './upload.js'

const empty = (reply: FastifyReply) => reply.code(200).send()
const manage = { permission: 'manage_cluster_modules' as const }

export default async function customModuleRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const mods = store.customModules
  // this plugin's routes only: the upload arrives as raw bytes
  app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer' }, (_req, body, done) => { done(null, body) })

  app.post<{ Body: Json }>('/v2/modules/user-defined', { config: manage, schema: { body: customModuleSchema } }, async req => mods.create(req.body))

  app.delete<{ Params: { uid: string } }>('/v2/modules/user-defined/:uid', { config: manage },
    async (req, reply) => { mods.delete(req.params.uid); return empty(reply) })

  const artifacts = '/v2/local/modules/user-defined/artifacts'
  app.get(artifacts, { config: { permission: 'view_cluster_modules' } }, async () => mods.artifacts())

  app.post<{ Body: Buffer }>(artifacts, { config: { ...manage, multipart: true } }, async (req, reply) => {
    const zip = multipartFile(Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0), String(req.headers['content-type'] ?? ''))
    mods.upload(unzip(zip))
    return empty(reply)
  })

  app.delete<{ Params: { name: string, version: string } }>(`${artifacts}/:name/:version(^\\d+$)`, { config: manage },
    async (req, reply) => { mods.deleteArtifact(req.params.name, Number(req.params.version)); return empty(reply) })
}
