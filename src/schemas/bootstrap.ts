// GET /v1/bootstrap and the POST /v1/bootstrap/{action} body (docs/rs-api-notes.md §3.2).
import { arr, bool, int, isoTime, num, obj, str, strArr, strEnum, PROXY_POLICIES, type SchemaObject } from './common.js'
import { supportedDatabaseVersionSchema } from './node.js'

export const BOOTSTRAP_STATES = ['idle', 'initiated', 'creating_cluster', 'recovering_cluster', 'joining_cluster', 'error', 'completed'] as const
export const BOOTSTRAP_ACTIONS = ['create_cluster', 'join_cluster', 'recover_cluster'] as const

// start_time/end_time only once an action ran; error_code/error_details only in state "error"
// (error_details is error specific: message, failed_nodes, required_memory, ...).
export const bootstrapStatusSchema: SchemaObject = obj({
  end_time: isoTime(),
  start_time: isoTime(),
  state: strEnum(...BOOTSTRAP_STATES),
  error_code: str(),
  error_details: { type: 'object' }
}, ['state'])

export const availableAddressSchema: SchemaObject = obj({
  address: str(),
  format: strEnum('ipv4', 'ipv6'),
  if_name: str(),
  private: bool()
}, ['address', 'format', 'if_name', 'private'])

// A subset of the node object, but uid is a string here ("1") and the address list is
// available_addresses (the docs' available_addrs is not what RS 8.0 sends).
const localNodeProps: Record<string, SchemaObject> = {
  architecture: str(),
  available_addresses: arr(availableAddressSchema),
  bigredis_storage_path: str(),
  bridge_interfaces: arr(),
  cnm_version_sha: str(),
  cores: int(1),
  ephemeral_storage_path: str(),
  ephemeral_storage_size: num({ minimum: 0 }),
  fips_enabled: bool(),
  os_family: str(),
  os_name: str(),
  os_semantic_version: str(),
  os_version: str(),
  persistent_storage_path: str(),
  persistent_storage_size: num({ minimum: 0 }),
  short_hostname: str(),
  software_version: str(),
  supported_bigstore_drivers: strArr(),
  supported_database_versions: arr(supportedDatabaseVersionSchema),
  total_memory: int(0),
  uid: str({ pattern: '^\\d+$' }),
  uptime: int(0)
}

export const localNodeInfoSchema: SchemaObject = obj(localNodeProps, Object.keys(localNodeProps))

/** GET /v1/bootstrap. */
export const bootstrapSchema: SchemaObject = obj({
  bootstrap_status: bootstrapStatusSchema,
  local_node_info: localNodeInfoSchema
}, ['bootstrap_status', 'local_node_info'])

// Nested objects stay open: the docs describe them loosely and real clients add keys
// (redisctl sends an undocumented top-level "flash_enabled").
const open = (props: Record<string, SchemaObject>, required: string[] = []): SchemaObject => obj(props, required, false)
const port = (): SchemaObject => int(1, 65535)

const credentialsSchema = open({
  // no & < > " in the user name
  username: str({ pattern: '^[^&<>"]*$' }),
  password: str(),
  client_cert: str(),
  client_key: str(),
  trusted_ca: str()
})

const nodeSchema = open({
  paths: open({ persistent_path: str(), ephemeral_path: str(), bigstore_path: str(), ccs_persistent_path: str() }),
  identity: open({
    addr: str(),
    external_addr: strArr(),
    name: str(),
    rack_id: str(),
    second_rack_id: str(),
    override_rack_id: bool(),
    // the uid of a dead node this one replaces
    uid: int(1),
    accept_servers: bool(),
    use_internal_ipv6: bool()
  }),
  limits: open({ max_listeners: int(0), max_redis_servers: int(0) }),
  bigstore_enabled: bool(),
  bigstore_driver: str()
})

const dnsSuffixSchema = open({
  name: str(),
  cluster_default: bool(),
  use_aaaa_ns: bool(),
  use_internal_addr: bool(),
  slaves: strArr()
})

const userDefinedModuleSchema = open({
  name: str(),
  location: open({
    location_type: strEnum('http', 'https'),
    url: str(),
    credentials: { type: 'object' }
  })
})

/** POST /v1/bootstrap/{create_cluster|join_cluster|recover_cluster} and /v1/bootstrap/validate/{action}. */
export const createClusterSchema: SchemaObject = open({
  action: strEnum(...BOOTSTRAP_ACTIONS),
  cluster: open({
    // an FQDN (RFC 952/1123) of at most 64 characters
    name: str({ minLength: 1, maxLength: 64 }),
    nodes: strArr(),
    wait_command: bool()
  }),
  credentials: credentialsSchema,
  node: nodeSchema,
  // omitted: a trial license is installed
  license: str(),
  // deprecated in favour of PUT /v1/cluster/policy after the bootstrap
  policy: open({
    default_fork_evict_ram: bool(),
    default_non_sharded_proxy_policy: strEnum(...PROXY_POLICIES),
    default_sharded_proxy_policy: strEnum(...PROXY_POLICIES),
    default_shards_placement: strEnum('dense', 'sparse'),
    rack_aware: bool(),
    shards_overbooking: bool()
  }),
  dns_suffixes: arr(dnsSuffixSchema),
  cnm_https_port: port(),
  crdb_coordinator_port: port(),
  envoy_admin_port: port(),
  envoy_mgmt_server_port: port(),
  gossip_envoy_admin_port: port(),
  max_retries: int(0),
  retry_time: int(0),
  recovery_filename: str(),
  required_version: str(),
  user_defined_modules: arr(userDefinedModuleSchema),
  witness_disk: { type: 'object' },
  flash_enabled: bool()
})
