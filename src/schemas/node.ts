// GET /v1/nodes[/{uid}] and the PUT /v1/nodes/{uid} body (docs/rs-api-notes.md §5.2).
import { arr, bool, int, intArr, num, obj, pick, str, strEnum, type SchemaObject } from './common.js'

// memcached entries carry only db_type and version; redis entries add major and redis_version.
export const supportedDatabaseVersionSchema: SchemaObject = obj({
  db_type: strEnum('redis', 'memcached'),
  major: bool(),
  redis_version: str(),
  version: str()
}, ['db_type', 'version'])

/** Every key of the captured RS 8.0 node, in its order. */
const capturedProps: Record<string, SchemaObject> = {
  accept_servers: bool(),
  // an IP address or a host name (src/base/address.ts checks which)
  addr: str({ maxLength: 253 }),
  architecture: str(),
  bigredis_storage_path: str(),
  bigstore_enabled: bool(),
  cores: int(1),
  ephemeral_storage_path: str(),
  // bytes, but written as a float (1081100128256.0)
  ephemeral_storage_size: num({ minimum: 0 }),
  external_addr: arr(str({ maxLength: 253 })),
  fips_enabled: bool(),
  flash_shard_count: int(0),
  max_listeners: int(0),
  // -1 = follow the cluster setting
  max_redis_forks: int(-1),
  max_redis_servers: int(0),
  max_slave_full_syncs: int(-1),
  os_family: str(),
  os_name: str(),
  os_semantic_version: str(),
  os_version: str(),
  persistent_storage_path: str(),
  persistent_storage_size: num({ minimum: 0 }),
  rack_id: str({ maxLength: 255 }),
  ram_shard_count: int(0),
  second_rack_id: str({ maxLength: 255 }),
  shard_count: int(0),
  shard_list: intArr(),
  software_version: str(),
  status: strEnum('active', 'decommissioning', 'down', 'provisioning'),
  supported_database_versions: arr(supportedDatabaseVersionSchema),
  total_memory: int(0),
  uid: int(1),
  uptime: int(0),
  use_internal_ipv6: bool()
}

/** Documented, absent from the capture. */
const optionalProps: Record<string, SchemaObject> = {
  bigstore_driver: strEnum('speedb', 'rocksdb'),
  bigstore_size: int(0),
  oss_cluster_ip_mapping: { type: 'object' },
  public_addr: str(),
  recovery_path: str(),
  system_time: str()
}

const allProps = { ...capturedProps, ...optionalProps }

export const nodeGetKeys: readonly string[] = Object.freeze(Object.keys(capturedProps))

export const nodeSchema: SchemaObject = obj(allProps, nodeGetKeys)

export const nodeWritableFields: readonly string[] = Object.freeze([
  'accept_servers', 'addr', 'external_addr', 'max_listeners', 'max_redis_forks', 'max_redis_servers',
  'max_slave_full_syncs', 'rack_id', 'second_rack_id', 'recovery_path'
])

/** PUT /v1/nodes/{uid} (answers 200 with an empty body). */
export const nodeUpdateSchema: SchemaObject = obj(pick(allProps, nodeWritableFields))
