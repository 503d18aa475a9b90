// /v1/ldap_mappings (docs/rs-api-notes.md §5.14)
import type { FastifyInstance } from 'fastify'
import type { Json, Store, UserRecord } from '../store/index.js'
import { ldapMappingCreateSchema, ldapMappingUpdateSchema } from '../schemas/ldap-mapping.js'
import { collectionReads } from './reads.js'
import { UID, uidOf } from './params.js'

export default async function ldapMappingRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  collectionReads(app, {
    path: '/v1/ldap_mappings',
    list: () => store.ldap.list(),
    get: uid => store.ldap.get(Number(uid)),
    config: [{ permission: 'view_all_ldap_mappings_info' }, { permission: 'view_ldap_mapping_info' }]
  })

  app.post<{ Body: Json }>('/v1/ldap_mappings', { config: { permission: 'create_ldap_mapping' }, schema: { body: ldapMappingCreateSchema } },
    async req => store.ldap.create(req.body, req.user as UserRecord))

  app.put<{ Body: Json }>(`/v1/ldap_mappings/${UID}`, { config: { permission: 'update_ldap_mapping' }, schema: { body: ldapMappingUpdateSchema } },
    async req => store.ldap.update(uidOf(req), req.body, req.user as UserRecord))

  // Documented as answering with the status only.
  app.delete(`/v1/ldap_mappings/${UID}`, { config: { permission: 'delete_ldap_mapping' } },
    async (req, reply) => { store.ldap.delete(uidOf(req), req.user as UserRecord); return reply.send() })
}
