// OCSP status and test, SAML metadata (docs/rs-api-notes.md §5.14).
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { idpMetadataSchema } from '../schemas/settings.js'

export default async function securityRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get('/v1/ocsp/status', { config: { permission: 'view_ocsp_status' } }, async () => store.ocsp.status())

  app.post('/v1/ocsp/test', { config: { permission: 'test_ocsp_status' } }, async () => store.ocsp.test())

  app.get('/v1/cluster/sso/saml/metadata/sp', { config: { permission: 'view_sso' } },
    async (_req, reply) => reply.type('application/xml').send(store.sso.spMetadata()))

  app.post<{ Body: { idp_metadata: string } }>('/v1/cluster/sso/saml/metadata/idp',
    { config: { permission: 'config_sso' }, schema: { body: idpMetadataSchema } },
    async req => store.sso.importIdpMetadata(req.body.idp_metadata))
}
