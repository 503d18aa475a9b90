// GET/PUT /v1/cluster and GET/PUT /v1/cluster/policy (docs/rs-api-notes.md §5.1).
import { arr, bool, int, intArr, isoTime, obj, pick, str, strArr, strEnum, PROXY_POLICIES, type SchemaObject } from './common.js'

const port = (): SchemaObject => int(1024, 65535)
const tlsVersion = (): SchemaObject => strEnum('1.2', '1.3')
const thresholdAlert: SchemaObject = obj({ enabled: bool(), threshold: str() })

// Each alert is either a plain on/off flag or {enabled, threshold}; the threshold is a string ("90").
export const alertSettingsSchema: SchemaObject = {
  type: 'object',
  properties: {
    cluster_ca_cert_about_to_expire: thresholdAlert,
    cluster_certs_about_to_expire: thresholdAlert,
    cluster_license_about_to_expire: thresholdAlert,
    cluster_node_operation_failed: bool(),
    cluster_ocsp_query_failed: bool(),
    cluster_ocsp_status_revoked: bool(),
    node_checks_error: bool(),
    node_ephemeral_storage: thresholdAlert,
    node_free_flash: thresholdAlert,
    node_internal_certs_about_to_expire: thresholdAlert,
    node_persistent_storage: thresholdAlert
  },
  additionalProperties: { anyOf: [bool(), thresholdAlert] }
}

/** Every key of the captured RS 8.0 GET /v1/cluster, in its order. */
const capturedProps: Record<string, SchemaObject> = {
  alert_settings: alertSettingsSchema,
  availability_lag_tolerance_ms: int(0),
  bigstore_driver: strEnum('speedb', 'rocksdb'),
  block_cluster_changes: bool(),
  ccs_internode_encryption: bool(),
  cluster_api_internal_port: int(0, 65535),
  cluster_ssh_public_key: str(),
  cm_port: port(),
  cm_server_version: int(),
  cm_session_timeout_minutes: int(1),
  cnm_http_max_threads_per_worker: int(1),
  cnm_http_port: port(),
  cnm_http_workers: int(1),
  cnm_https_port: port(),
  control_cipher_suites: str(),
  control_cipher_suites_tls_1_3: str(),
  crdb_coordinator_ignore_requests: bool(),
  crdb_coordinator_port: port(),
  crdt_supported_featureset_version: int(),
  // protocol versions are strings ("1")
  crdt_supported_protocol_versions: strArr(),
  created_time: isoTime(),
  data_cipher_list: str(),
  data_cipher_suites_tls_1_3: strArr(),
  debuginfo_path: str(),
  email_alerts: bool(),
  encrypt_pkeys: bool(),
  entra_id_cache_ttl: int(0),
  envoy_admin_port: port(),
  envoy_external_authorization: bool(),
  envoy_max_downstream_connections: int(100, 2048),
  envoy_mgmt_server_port: port(),
  gossip_envoy_admin_port: port(),
  handle_metrics_redirects: bool(),
  handle_redirects: bool(),
  http_support: bool(),
  logrotate_settings: obj({ maxage: int(0), maxsize: str(), rotate: int(0) }, [], false),
  mask_bdb_credentials: bool(),
  metrics_system: int(),
  min_control_TLS_version: tlsVersion(),
  min_data_TLS_version: tlsVersion(),
  min_sentinel_TLS_version: tlsVersion(),
  module_upload_max_size_mb: int(0),
  mtls_authorized_subjects: arr({ type: 'object' }),
  mtls_certificate_authentication: bool(),
  mtls_client_cert_subject_validation_type: strEnum('disabled', 'san_cn', 'full_subject'),
  // unlike the bdb field of the same name, the cluster-wide one has no 'auto'
  multi_commands_opt: strEnum('disabled', 'batch', 'force_disabled'),
  name: str({ minLength: 1, maxLength: 64 }),
  options_method_forbidden: bool(),
  password_complexity: bool(),
  password_expiration_duration: int(0),
  password_hashing_algorithm: str(),
  password_min_length: int(8, 256),
  proxy_certificate: str(),
  rack_aware: bool(),
  reserved_ports: strArr(),
  robust_crdt_syncer: bool(),
  s3_certificate_verification: bool(),
  sentinel_cipher_suites: strArr(),
  sentinel_cipher_suites_tls_1_3: str(),
  sentinel_tls_mode: strEnum('allowed', 'disabled', 'required'),
  slave_ha: bool(),
  slave_ha_bdb_cooldown_period: int(0),
  slave_ha_cooldown_period: int(0),
  slave_ha_grace_period: int(0),
  slowlog_in_sanitized_support: bool(),
  smtp_tls_mode: strEnum('none', 'starttls', 'tls'),
  smtp_use_tls: bool(),
  syncer_certificate: str(),
  // integers here, while reserved_ports holds strings
  system_reserved_ports: intArr(),
  upgrade_in_progress: bool(),
  upgrade_mode: bool(),
  use_external_ipv6: bool(),
  use_ipv6: bool(),
  wait_command: bool()
}

/** Documented, but absent from the 8.0 capture (unset, or newer than that build). */
const optionalProps: Record<string, SchemaObject> = {
  allow_modules_upload: bool(),
  // the reference names these two without a type: accept any JSON value rather than guess
  client_maint_notifications: {},
  replica_sconns_on_demand: {},
  control_plane_basic_authentication: bool(),
  default_non_sharded_proxy_policy: strEnum(...PROXY_POLICIES),
  default_sharded_proxy_policy: strEnum(...PROXY_POLICIES),
  disconnect_clients_on_password_removal: str(),
  email_from: str(),
  metrics_auth: bool(),
  proxy_max_ccs_disconnection_time: int(0),
  s3_ca_cert: str(),
  s3_url: str(),
  smtp_host: str(),
  smtp_password: str(),
  smtp_port: int(1, 65535),
  smtp_username: str(),
  state_machine_smart_client_handoffs_delay_ms: int(0)
}

/** Keys a GET returns that a PUT may not set (documented RO, plus captured-but-undocumented keys). */
export const clusterReadOnlyFields: readonly string[] = Object.freeze([
  'block_cluster_changes', 'ccs_internode_encryption', 'cluster_api_internal_port', 'cm_server_version',
  'control_cipher_suites_tls_1_3', 'crdb_coordinator_ignore_requests', 'crdt_supported_featureset_version',
  'crdt_supported_protocol_versions', 'created_time', 'default_non_sharded_proxy_policy', 'default_sharded_proxy_policy',
  'entra_id_cache_ttl', 'envoy_external_authorization', 'handle_metrics_redirects', 'metrics_system',
  'module_upload_max_size_mb', 'name', 'password_hashing_algorithm', 'rack_aware', 's3_certificate_verification',
  'sentinel_cipher_suites_tls_1_3', 'slave_ha', 'slave_ha_bdb_cooldown_period', 'slave_ha_cooldown_period',
  'slave_ha_grace_period', 'system_reserved_ports', 'upgrade_in_progress', 'wait_command'
])

const allProps = { ...capturedProps, ...optionalProps }

export const clusterWritableFields: readonly string[] = Object.freeze(
  Object.keys(allProps).filter(k => !clusterReadOnlyFields.includes(k))
)

/** The keys GET /v1/cluster returns on RS 8.0, in order. */
export const clusterGetKeys: readonly string[] = Object.freeze(Object.keys(capturedProps))

export const clusterSchema: SchemaObject = obj(allProps, clusterGetKeys)

export const clusterUpdateSchema: SchemaObject = obj(pick(allProps, clusterWritableFields))

const policyProps: Record<string, SchemaObject> = {
  acl_pubsub_default: strEnum('resetchannels', 'allchannels'),
  auto_recovery: bool(),
  db_conns_auditing: bool(),
  default_concurrent_restore_actions: int(1),
  default_fork_evict_ram: bool(),
  default_non_sharded_proxy_policy: strEnum(...PROXY_POLICIES),
  default_oss_sharding: bool(),
  default_provisioned_redis_version: str({ pattern: '^\\d+\\.\\d+$' }),
  // -1 = wait forever for the persistence files
  default_recovery_wait_time: int(-1),
  default_redis_version: str({ pattern: '^\\d+\\.\\d+$' }),
  default_shards_placement: strEnum('dense', 'sparse'),
  default_sharded_proxy_policy: strEnum(...PROXY_POLICIES),
  default_tracking_table_max_keys_policy: int(0),
  login_lockout_counter_reset_after: int(0),
  // 0 = locked until an admin sets a new password
  login_lockout_duration: int(0),
  // 0 = lockout disabled
  login_lockout_threshold: int(0),
  max_simultaneous_backups: int(1),
  persistent_node_removal: bool(),
  rack_aware: bool(),
  redis_upgrade_policy: strEnum('major', 'latest'),
  repl_diskless: bool(),
  resp3_default: bool(),
  shards_overbooking: bool(),
  show_internals: bool(),
  slave_ha: bool(),
  slave_ha_bdb_cooldown_period: int(0),
  slave_ha_cooldown_period: int(0),
  slave_ha_grace_period: int(0)
}

/** GET /v1/cluster/policy: keys in alphabetical order, all present. */
export const policySchema: SchemaObject = obj(policyProps, Object.keys(policyProps))

/** PUT /v1/cluster/policy: any subset of the policy keys. */
export const policyUpdateSchema: SchemaObject = obj(policyProps)
