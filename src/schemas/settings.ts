// The cluster's settings objects (cm_settings, diagnostics, job_scheduler, metrics_config,
// services_configuration, db_conns auditing, ocsp, ldap, sso): one update schema each, from the
// objects pages (docs/rs-api-notes.md §5.14). Every update is a partial object; unknown keys are invalid_schema.
import { arr, bool, int, obj, str, strEnum, type SchemaObject } from './common.js'

// Five fields of digits, names and * / , - (the CRON expression the pages link to).
const cron = (): SchemaObject => str({ pattern: '^[0-9A-Za-z*/,-]+( [0-9A-Za-z*/,-]+){4}$' })
const cronObj = (extra: Record<string, SchemaObject> = {}): SchemaObject => obj({ cron_expression: cron(), ...extra })
const job = (extra: Record<string, SchemaObject> = {}): SchemaObject => cronObj({ enabled: bool(), ...extra })
const query = (): SchemaObject => obj({ base: str(), filter: str(), scope: strEnum('base', 'one', 'subtree') })

export const cmSettingsUpdateSchema: SchemaObject = obj({ timezone: str({ minLength: 1 }) })

export const DIAGNOSTICS_TARGETS = [
  'bdb_client_list_target', 'bdb_info_target', 'bdb_target', 'command_stats_target', 'network_stats_target',
  'persistent_files_target', 'rladmin_status_target', 'shard_info_target', 'shard_latency_histogram_target',
  'shard_latency_target', 'shard_target', 'slowlog_target', 'socket_files_target'
] as const

export const diagnosticsUpdateSchema: SchemaObject = obj(Object.fromEntries(DIAGNOSTICS_TARGETS.map(t =>
  [t, t === 'slowlog_target' ? cronObj({ max_entries: int(1, 100_000) }) : cronObj()])))

export const jobSchedulerUpdateSchema: SchemaObject = obj({
  backup_job_settings: job(),
  bdb_usage_report_job_settings: job({ file_retention_days: int(1, 1000) }),
  cert_rotation_job_settings: job({ expiry_days_before_rotation: int(1, 90) }),
  log_rotation_job_settings: job(),
  node_checks_job_settings: job(),
  redis_cleanup_job_settings: cronObj(),
  rotate_ccs_job_settings: job({ file_suffix: str({ minLength: 1 }), rotate_max_num: int(1, 100) })
})

// Ascending boundaries, each 1-1023 with an optional unit (metrics_config page); order is the store's check.
const BOUNDARY = '([1-9][0-9]{0,2}|10[01][0-9]|102[0-3])[BKMGTPE]?'
const buckets = (): SchemaObject => str({ pattern: `^$|^${BOUNDARY}(,${BOUNDARY})*$` })

export const metricsConfigUpdateSchema: SchemaObject = {
  ...obj({
    key_distribution_enabled: bool(),
    key_size_buckets: buckets(),
    key_items_buckets: buckets(),
    local_storage_max_size_mb: int(1),
    local_storage_retention_days: int(1),
    expose_db_tags: bool(),
    metrics_tag_keys_exposed: arr(str({ pattern: '^[A-Za-z0-9_.:/-]{1,64}$' }), { maxItems: 50, uniqueItems: true }),
    max_requests_in_flight: int(0)
  }),
  // "The request must include at least one recognized field."
  minProperties: 1
}

export const SERVICES = [
  'alert_mgr', 'call_home_agent', 'cm_server', 'crdb_coordinator', 'crdb_worker', 'entraid_agent_mgr',
  'ldap_agent_mgr', 'mdns_server', 'pdns_server', 'sentinel_service', 'stats_archiver'
] as const

/** docs/decisions.md #26: the optional services a new cluster runs without; the others are enabled. */
export const SERVICES_OFF_BY_DEFAULT: readonly string[] = ['entraid_agent_mgr', 'stats_archiver']

export const servicesConfigurationUpdateSchema: SchemaObject = obj(Object.fromEntries(SERVICES.map(s =>
  [s, obj({ operating_mode: strEnum('disabled', 'enabled') }, ['operating_mode'])])))

export const dbConnsAuditingUpdateSchema: SchemaObject = obj({
  audit_address: str({ minLength: 1 }),
  audit_port: int(1, 65535),
  audit_protocol: strEnum('TCP', 'local'),
  audit_reconnect_interval: int(1),
  audit_reconnect_max_attempts: int(0)
})

// responder_url is read-only: it comes from the proxy certificate.
export const ocspUpdateSchema: SchemaObject = obj({
  ocsp_functionality: bool(),
  query_frequency: int(60, 86400),
  recovery_frequency: int(60, 86400),
  recovery_max_tries: int(1, 100),
  response_timeout: int(1, 60)
})

export const ldapUpdateSchema: SchemaObject = obj({
  bind_dn: str(),
  bind_pass: str(),
  ca_cert: str(),
  cache_ttl: int(0),
  cba: bool(),
  cba_identity_oid: str(),
  cba_identity_source: strEnum('subject_cn', 'subject_oid'),
  control_plane: bool(),
  data_plane: bool(),
  directory_timeout_s: int(5, 60),
  dn_group_attr: str(),
  dn_group_query: query(),
  starttls: bool(),
  uris: arr(str({ maxLength: 2048, pattern: '^ldaps?://[^/?#\\s]+$' }), { maxItems: 32 }),
  user_dn_query: query(),
  user_dn_template: str()
})

export const ssoUpdateSchema: SchemaObject = obj({
  control_plane: bool(),
  enforce_control_plane: bool(),
  protocol: strEnum('saml2'),
  issuer: obj({ id: str(), login_url: str(), logout_url: str() }),
  // saml2's entity_id, acs_url and slo_url are read-only: derived from the address
  service: obj({ address: str() })
})

// 512 KiB of base64 (MAX_IDP_METADATA in src/store/sso.ts): real IdP metadata is tens of KB.
export const idpMetadataSchema: SchemaObject = obj({ idp_metadata: str({ minLength: 1, maxLength: 512 << 10 }) }, ['idp_metadata'])
