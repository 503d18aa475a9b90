import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import { parseFields, project } from './present.js'
import { licenseUpdateSchema } from '../schemas/index.js'

export default async function licenseRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  app.get<{ Querystring: { fields?: string } }>('/v1/license', { config: { permission: 'view_license' } },
    async req => project(store.cluster.license(), parseFields(req.query.fields)))

  app.put<{ Body: { license: string } }>('/v1/license', { config: { permission: 'install_new_license' }, schema: { body: licenseUpdateSchema } },
    async req => store.cluster.installLicense(req.body.license))
}
