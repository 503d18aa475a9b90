// Cluster certificates (docs/rs-api-notes.md §5.14). The pages name no permission for the writes: update_cluster
// like every other cluster-wide change (docs/decisions.md #27).
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { Pem } from '../store/settings/index.js'
import { certificatesUpdateSchema, rotateSchema, updateCertSchema } from '../schemas/certificates.js'
import { internalCertificate } from '../internal-certs.js'

type Named = Pem & { name: string }

export default async function certificateRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const update = { permission: 'update_cluster' as const }

  app.get('/v1/cluster/certificates', { config: { permission: 'view_cluster_info' } }, async () => store.certificates.list())

  app.put<{ Body: { certificates: Named[] } }>('/v1/cluster/certificates', { config: update, schema: { body: certificatesUpdateSchema } },
    async (req, reply) => { store.certificates.update(req.body.certificates); return reply.send() })

  // Deprecated since 7.22.2, still served: one certificate.
  app.put<{ Body: Named }>('/v1/cluster/update_cert', { config: update, schema: { body: updateCertSchema } },
    async (req, reply) => { store.certificates.update([req.body]); return reply.send() })

  app.delete<{ Params: { name: string } }>('/v1/cluster/certificates/:name', { config: update },
    async (req, reply) => { store.certificates.delete(req.params.name); return reply.send() })

  app.post<{ Body: { name?: string } }>('/v1/cluster/certificates/rotate', {
    config: update,
    schema: { body: rotateSchema },
    preValidation: async req => { req.body ??= {} }
  }, async (req, reply) => {
    const names = store.certificates.rotationTargets(req.body.name)
    const renewed = Object.fromEntries(await Promise.all(names.map(async n => [n, await internalCertificate(n)] as const)))
    store.certificates.rotate(renewed)
    return reply.send()
  })
}
