// Active-Active request bodies (the RS docs' objects crdb, crdb/instance_info, crdb/cluster_info,
// crdb/database_config, crdb/modify_request; requests crdbs/*): what POST, PATCH, updates, purge
// and upgrade accept. Unknown keys are refused (400 invalid_schema), as for every RS body.
import { arr, bool, int, intArr, obj, str, strArr, type SchemaObject } from './common.js'
import { bdbFields } from './bdb-fields.js'

/** Participating clusters of one Active-Active database: each is a peer the coordinator calls. */
export const MAX_CRDB_INSTANCES = 16

// database_config: the documented keys, typed as the same fields of the bdb object.
const DB_CONFIG_KEYS = [
  'module_list', 'oss_sharding', 'redis_version', 'sharding', 'shard_key_regex', 'tls_mode', 'eviction_policy',
  'memory_size', 'oss_cluster', 'oss_cluster_api_preferred_ip_type', 'proxy_policy', 'rack_aware', 'shards_count',
  'shards_placement', 'aof_policy', 'authentication_redis_pass', 'data_persistence', 'max_aof_file_size',
  'max_aof_load_time', 'replication', 'replication_oom_threshold_percent', 'snapshot_policy', 'authentication_admin_pass',
  'authentication_ssl_client_certs', 'enforce_client_authentication', 'mtls_allow_outdated_certs',
  'mtls_allow_weak_hashing', 'port', 'name'
] as const
const dbConfigProps: Record<string, SchemaObject> = Object.fromEntries(DB_CONFIG_KEYS.map(k => [k, bdbFields[k].schema]))
export const crdbDbConfigSchema: SchemaObject = obj({ ...dbConfigProps, cert: str(), private_key: str() })

export const crdbClusterSchema: SchemaObject = obj({
  name: str({ minLength: 1, maxLength: 255 }),
  url: str({ pattern: '^https?://[^\\s/]+(/.*)?$' }),
  credentials: obj({ username: str(), password: str() }, ['username', 'password']),
  certificate_auth: obj({ client_cert: str(), client_key: str(), trusted_ca: str() }, ['client_cert', 'client_key']),
  replication_endpoint: str(),
  replication_tls_sni: str()
}, ['name', 'url'])

export const crdbInstanceSchema: SchemaObject = obj({
  id: int(1, 1000),
  cluster: crdbClusterSchema,
  compression: int(0, 6),
  db_config: crdbDbConfigSchema,
  db_uid: str()
}, ['cluster'])

const crdbProps: Record<string, SchemaObject> = {
  guid: str({ pattern: '^[0-9a-fA-F-]{8,64}$' }),
  causal_consistency: bool(),
  default_db_config: crdbDbConfigSchema,
  encryption: bool(),
  featureset_version: int(0),
  // each instance is a peer the coordinator calls: bounded (docs/active-active.md)
  instances: arr(crdbInstanceSchema, { minItems: 1, maxItems: MAX_CRDB_INSTANCES }),
  managed_by: str(),
  modules: arr(obj({ featureset_version: int(0), module_name: str() })),
  name: str({ minLength: 1, maxLength: 63 }),
  protocol_version: int(0),
  volatile_config_fields: strArr()
}

export const crdbCreateSchema: SchemaObject = obj(crdbProps, ['name', 'default_db_config', 'instances'])

// PATCH: the CRDB object's changeable parts; an instance is named by its id.
const patchInstance = obj({ id: int(1, 1000), compression: int(0, 6), db_config: crdbDbConfigSchema }, ['id'])
const patchProps = { ...crdbProps, instances: arr(patchInstance) }
export const crdbPatchSchema: SchemaObject = obj(patchProps)

export const crdbModifySchema: SchemaObject = obj({
  add_instances: arr(crdbInstanceSchema, { maxItems: MAX_CRDB_INSTANCES }),
  crdb: obj(patchProps),
  force_update: bool(),
  remove_instances: intArr(),
  force_remove: bool()
})

export const crdbPurgeSchema: SchemaObject = obj({ instances: arr(int(1), { minItems: 1 }) }, ['instances'])

export const crdbUpgradeSchema: SchemaObject = obj({
  force_discard: bool(),
  force_restart: bool(),
  keep_crdt_protocol_version: bool(),
  may_discard_data: bool(),
  modules: arr(obj({ current_module: str(), new_module: str(), new_module_args: str() })),
  parallel_shards_upgrade: int(1),
  preserve_roles: bool(),
  redis_version: str()
})
