// Schemas of the objects nested inside a BDB (docs/rs-api-notes.md §4.1 and the docs' sub-object pages).
// Objects whose docs list every key are closed (unknown keys -> invalid_schema); objects the docs
// only sketch stay open so a real client's extra keys are not rejected by a guess.
import { arr, bool, int, num, obj, str, strArr, strEnum, PROXY_POLICIES, type SchemaObject } from './common.js'

export const endpointSchema: SchemaObject = obj({
  addr: strArr(),
  addr_type: strEnum('internal', 'external'),
  dns_name: str(),
  oss_cluster_api_preferred_endpoint_type: strEnum('ip', 'hostname'),
  oss_cluster_api_preferred_ip_type: strEnum('internal', 'external'),
  port: int(0, 65535),
  proxy_policy: strEnum(...PROXY_POLICIES),
  // "<bdb uid>:<n>", a string although both parts are integers
  uid: str({ pattern: '^\\d+:\\d+$' }),
  exclude_proxies: arr(),
  include_proxies: arr()
}, ['addr', 'addr_type', 'dns_name', 'oss_cluster_api_preferred_endpoint_type', 'oss_cluster_api_preferred_ip_type', 'port', 'proxy_policy', 'uid'])

// Nothing required: a request may name a module by module_name or (deprecated since 7.8.2) by
// module_id alone; naming neither is the store's semantic error (missing_module).
export const moduleListItemSchema: SchemaObject = obj({
  module_args: str(),
  module_id: str(),
  module_name: str(),
  semantic_version: str()
})

export const snapshotPolicyItemSchema: SchemaObject = obj({ secs: int(1), writes: int(0) }, ['secs', 'writes'])

export const shardKeyRegexItemSchema: SchemaObject = obj({ regex: str({ minLength: 1 }) }, ['regex'])

export const rolePermissionSchema: SchemaObject = obj({ redis_acl_uid: int(1), role_uid: int(1) }, ['redis_acl_uid', 'role_uid'])

export const tagSchema: SchemaObject = obj({ key: str({ minLength: 1 }), value: str() }, ['key', 'value'])

export const clientCertSchema: SchemaObject = obj({ client_cert: str() }, ['client_cert'])

export const authorizedSubjectSchema: SchemaObject = obj({
  CN: str(), O: str(), OU: strArr(), L: str(), ST: str(), C: str()
}, ['CN'])

export const backgroundOpSchema: SchemaObject = obj({
  status: str(),
  name: str(),
  error: {},
  progress: num()
}, ['status'], false)

export const bigstoreRamWeightSchema: SchemaObject = obj({ shard_uid: int(1), weight: num({ minimum: 0 }) }, ['shard_uid', 'weight'])

// Elements of replica_sources / crdt_sources; the status keys are only ever read back.
export const syncerSourceSchema: SchemaObject = obj({
  uid: int(),
  uri: str(),
  compression: int(0, 6),
  encryption: bool(),
  client_cert: str(),
  client_key: str(),
  server_cert: str(),
  replication_tls_sni: str(),
  status: strEnum('out-of-sync', 'syncing', 'in-sync'),
  lag: num(),
  last_error: str(),
  last_update: str(),
  rdb_size: int(0),
  rdb_transferred: int(0)
}, [], false)

const LOCATION_TYPES = ['url', 'sftp', 's3', 'gs', 'abs', 'mount_point'] as const

// One flat property list for every `type`: the docs describe the variants in prose only.
const locationProperties: Record<string, SchemaObject> = {
  type: strEnum(...LOCATION_TYPES),
  url: str(),
  sftp_url: str(),
  key: str(),
  bucket_name: str(),
  access_key_id: str(),
  secret_access_key: str(),
  region_name: str(),
  subdir: str(),
  client_id: str(),
  client_email: str(),
  private_key_id: str(),
  private_key: str(),
  container: str(),
  account_name: str(),
  account_key: str(),
  sas_token: str(),
  path: str()
}

export const backupLocationSchema: SchemaObject = obj(locationProperties, ['type'], false)

export const datasetImportSourceSchema: SchemaObject = obj({ ...locationProperties, filename: str() }, ['type'], false)

export const gradualSyncPolicyParametersSchema: SchemaObject = obj({
  // -1 = no limit; 0 is invalid (a semantic error, left to the store)
  src_endpoint_limit: int(-1),
  dst_endpoint_limit: int(-1),
  dst_shard_limit: int(-1),
  src_node_limit: int(-1)
})

export const queryPerformanceFactorSchema: SchemaObject = obj({ active: bool(), scaling_factor: int(0, 16) })

// ~40 `search-*` options exist; the few with documented ranges are typed, the rest only need the prefix.
export const searchConfigSchema: SchemaObject = {
  ...obj({
    'search-timeout': int(0),
    'search-default-dialect': int(1, 4),
    'search-workers': int(0),
    'search-on-timeout': strEnum('RETURN', 'FAIL')
  }, [], false),
  propertyNames: { type: 'string', maxLength: 128, pattern: '^search-' }
}

export const timeseriesConfigSchema: SchemaObject = {
  ...obj({
    'ts-num-threads': int(1, 16),
    'ts-compaction-policy': str(),
    'ts-retention-policy': int(0),
    'ts-duplicate-policy': strEnum('BLOCK', 'FIRST', 'LAST', 'MIN', 'MAX', 'SUM'),
    'ts-encoding': strEnum('COMPRESSED', 'UNCOMPRESSED'),
    'ts-chunk-size-bytes': int(48, 1048576),
    'ts-ignore-max-time-diff': int(0),
    'ts-ignore-max-val-diff': num({ minimum: 0 })
  }, [], false),
  propertyNames: { type: 'string', maxLength: 128, pattern: '^ts-' }
}

export const probabilisticConfigSchema: SchemaObject = obj({
  'bf-error-rate': num({ exclusiveMinimum: 0, exclusiveMaximum: 1 }),
  'bf-initial-size': int(1),
  'bf-expansion-factor': int(0),
  'cf-initial-size': int(1),
  'cf-bucket-size': int(1),
  'cf-max-iterations': int(1),
  'cf-expansion-factor': int(0),
  'cf-max-expansions': int(1)
})

// Used with `PUT /v1/bdbs/{uid}` and a matching `cluster-state-id` request header.
export const shardsBlueprintSchema: SchemaObject = arr(obj({
  nodes: arr(obj({ node_uid: str(), role: strEnum('master', 'slave') }, ['node_uid', 'role'])),
  slot_range: str()
}, ['nodes', 'slot_range']))
