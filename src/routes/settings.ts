// The cluster's settings objects: one table, one GET/PUT(/DELETE) triple per object (docs/rs-api-notes.md §5.14).
import type { FastifyInstance } from 'fastify'
import type { Json, Store } from '../store/index.js'
import type { SettingName } from '../store/settings/index.js'
import type { Permission } from '../base/permissions.js'
import {
  cmSettingsUpdateSchema, dbConnsAuditingUpdateSchema, diagnosticsUpdateSchema, jobSchedulerUpdateSchema, ldapUpdateSchema,
  metricsConfigUpdateSchema, ocspUpdateSchema, servicesConfigurationUpdateSchema, ssoUpdateSchema, type SchemaObject
} from '../schemas/index.js'

interface Row {
  path: string
  name: SettingName
  schema: SchemaObject
  view: Permission
  update: Permission
  /** DELETE clears it */
  clear?: boolean
  /** PUT answers with the status only (the LDAP and SSO pages) instead of the object */
  statusOnly?: boolean
}

const CLUSTER = { view: 'view_cluster_info', update: 'update_cluster' } as const

export const settingsRoutesTable: readonly Row[] = [
  { path: '/v1/cm_settings', name: 'cm_settings', schema: cmSettingsUpdateSchema, ...CLUSTER },
  { path: '/v1/diagnostics', name: 'diagnostics', schema: diagnosticsUpdateSchema, ...CLUSTER },
  { path: '/v1/job_scheduler', name: 'job_scheduler', schema: jobSchedulerUpdateSchema, ...CLUSTER },
  { path: '/v1/metrics_config', name: 'metrics_config', schema: metricsConfigUpdateSchema, ...CLUSTER },
  { path: '/v1/cluster/services_configuration', name: 'services_configuration', schema: servicesConfigurationUpdateSchema, ...CLUSTER },
  { path: '/v1/cluster/auditing/db_conns', name: 'db_conns_auditing', schema: dbConnsAuditingUpdateSchema, ...CLUSTER, clear: true },
  { path: '/v1/ocsp', name: 'ocsp', schema: ocspUpdateSchema, view: 'view_ocsp_config', update: 'config_ocsp' },
  { path: '/v1/cluster/ldap', name: 'ldap', schema: ldapUpdateSchema, view: 'view_ldap_config', update: 'config_ldap', clear: true, statusOnly: true },
  { path: '/v1/cluster/sso', name: 'sso', schema: ssoUpdateSchema, view: 'view_sso', update: 'config_sso', clear: true, statusOnly: true }
]

export default async function settingsRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  for (const { path, name, schema, view, update, clear, statusOnly } of settingsRoutesTable) {
    app.get(path, { config: { permission: view } }, async () => store.settings.get(name))

    app.put<{ Body: Json }>(path, { config: { permission: update }, schema: { body: schema } }, async (req, reply) => {
      const answer = store.settings.update(name, req.body)
      return statusOnly === true ? reply.send() : answer
    })

    if (clear === true) {
      app.delete(path, { config: { permission: update } }, async (_req, reply) => {
        store.settings.clear(name)
        return reply.send()
      })
    }
  }
}
