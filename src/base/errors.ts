// Every error the mock answers with is an ApiError rendered by one handler
// (http/error-handler.ts) as the real API's body: {"error_code", "description"}.
// Status codes for undocumented cases follow docs/decisions.md (see docs/differences.md).

/** A start-up configuration problem (a flag, a file): the command prints it and exits 2. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export class ApiError extends Error {
  readonly statusCode: number
  readonly code: string
  readonly headers?: Record<string, string>

  constructor (statusCode: number, code: string, description: string, headers?: Record<string, string>) {
    // An answer, not a fault of the mock: no stack trace (capturing one was 15 % of a 401's cost).
    const limit = Error.stackTraceLimit
    Error.stackTraceLimit = 0
    super(description)
    Error.stackTraceLimit = limit
    this.name = 'ApiError'
    this.statusCode = statusCode
    this.code = code
    this.headers = headers
  }

  toJSON (): { error_code: string, description: string } {
    return { error_code: this.code, description: this.message }
  }
}

export const isApiError = (e: unknown): e is ApiError => e instanceof ApiError

const err = (status: number, code: string) => (description: string) => new ApiError(status, code, description)

// Front door (docs/decisions.md #1-#7)
export const nodeNotInCluster = () =>
  new ApiError(503, 'node_not_in_cluster', 'Contacted node is currently not a member of any active cluster')
export const invalidHeader = err(400, 'invalid_header')
export const unsupportedApiVersion = (value: string) =>
  new ApiError(505, 'unsupported_api_version', `Unsupported x-api-version: ${JSON.stringify(value)}`)
export const unauthorized = (description = 'Authentication required: wrong or missing credentials') =>
  new ApiError(401, 'unauthorized', description, { 'www-authenticate': 'Basic realm="Redis Enterprise"' })
export const userLocked = () =>
  new ApiError(401, 'user_locked', 'User is locked out after too many failed logins', { 'www-authenticate': 'Basic realm="Redis Enterprise"' })
export const insufficientPermissions = (permission: string) =>
  new ApiError(403, 'insufficient_permissions', `The user's role does not have the '${permission}' permission`)
/** docs/access-control.md, "Who may grant admin". */
export const adminOnly = (what: string) =>
  new ApiError(403, 'insufficient_permissions', `Only a user with the admin role can ${what}`)

// Routing and transport
export const routeNotFound = (method: string, url: string) =>
  new ApiError(404, 'not_found', `No such resource: ${method} ${url.split('?')[0]}`)
export const methodNotAllowed = (method: string, url: string) =>
  new ApiError(405, 'method_not_allowed', `Method ${method} is not allowed on ${url.split('?')[0]}`)
export const invalidJson = err(400, 'invalid_json')
export const invalidSchema = err(400, 'invalid_schema')
export const requestTooLarge = (limit: number) =>
  new ApiError(413, 'request_too_large', `Request body is larger than the limit of ${limit} bytes`)
export const badRequest = err(400, 'bad_request')
export const expectationFailed = (value: string) =>
  new ApiError(417, 'expectation_failed', `Expect: ${value.slice(0, 100)} is not supported; only 100-continue is`)
export const invalidUrl = (url: string) => new ApiError(400, 'invalid_url', `The request path is not a valid URL: ${url.slice(0, 200)}`)
// Transport limits (docs/reliability.md): answered on the raw socket when Node refuses a request itself.
export const requestTimeout = (ms: number) =>
  new ApiError(408, 'request_timeout', `The request was not received in full within ${ms} ms`)
export const headersTooLarge = (limit: number) =>
  new ApiError(431, 'request_header_too_large', `The request line and headers are larger than the limit of ${limit} bytes`)
export const shuttingDown = () => new ApiError(503, 'shutting_down', 'The server is shutting down; retry against a running instance')
export const internalError = () => new ApiError(500, 'internal_error', 'Internal error')

// Objects that do not exist (docs/decisions.md #5)
const notFound = (object: string, label = object) => (uid: string | number) =>
  new ApiError(404, `${object}_not_found`, `${label} '${uid}' does not exist`)
export const bdbNotFound = notFound('bdb', 'Database')
export const userNotFound = notFound('user', 'User')
export const roleNotFound = notFound('role', 'Role')
export const redisAclNotFound = notFound('redis_acl', 'Redis ACL')
export const nodeNotFound = notFound('node', 'Node')
export const actionNotFound = notFound('action', 'Action')
export const shardNotFound = notFound('shard', 'Shard')
export const moduleNotFound = notFound('module', 'Module')

// Nodes and the master (docs/decisions.md #21, #48)
/** A follower's answer to a cluster-wide request: the client repeats it on the master. */
export const notMaster = (location: string) =>
  new ApiError(307, 'not_master', 'This node is not the master of the cluster; repeat the request on the master', { location })
export const clusterActionNotFound = notFound('cluster_action', 'Cluster action')
export const nodeActionNotFound = notFound('node_action', 'Node action')
export const snapshotNotFound = notFound('snapshot', 'Node snapshot')
export const maintenanceSnapshot = (name: string) =>
  new ApiError(403, 'maintenance_snapshot', `Node snapshot '${name.slice(0, 100)}' belongs to a node in maintenance and cannot be deleted`)
export const nodeNotOffline = () => new ApiError(406, 'node_not_offline', 'addr can only change while the node is offline')
export const nodeAlreadyPopulated = (uid: number) =>
  new ApiError(406, 'node_already_populated', `Node ${uid} runs shards: accept_servers cannot be disabled`)
export const nodeAlreadyHasRackId = (uid: number) =>
  new ApiError(406, 'node_already_has_rack_id', `Node ${uid} already has a rack_id`)
/** POST of an action the cluster does not have (the page: 400 "bad action"; docs/decisions.md #55). */
export const invalidAction = (name: string, known: readonly string[]) =>
  new ApiError(400, 'invalid_action', `Unknown action '${name.slice(0, 100)}'; the actions are ${known.join(', ')}`)
/** POST of a node or cluster action while one is running (the pages: "only a single instance ... at the same time"). */
export const actionConflict = (name: string, where: string) =>
  new ApiError(409, 'conflict', `A ${name} action is already running on ${where}; wait for it to complete`)

// POST /v1/bdbs/{uid}/command (docs/decisions.md #58)
export const commandNotAllowed = (name: string) =>
  new ApiError(400, 'command_not_allowed', `${name.slice(0, 64)} is not run through the API: it would block, leave or reconfigure the server's connection`)
export const commandNotSupported = (name: string) =>
  new ApiError(400, 'command_not_supported', `Without --redis the mock answers PING, ECHO, DBSIZE, INFO and TIME; ${name.slice(0, 64)} needs a real server (--redis)`)
export const commandFailed = (message: string) => new ApiError(400, 'command_failed', message.slice(0, 512))

// Databases (docs/rs-api-notes.md §2.3, docs/decisions.md #9; status per code where the docs leave it open)
export const missingDbName = () => new ApiError(406, 'missing_db_name', "The database 'name' is required")
export const missingMemorySize = () => new ApiError(406, 'missing_memory_size', "The database 'memory_size' is required")
export const portUnavailable = (port: number, why: string) => new ApiError(406, 'port_unavailable', `Port ${port} is not available: ${why}`)
export const insufficientResources = err(406, 'insufficient_resources')
export const invalidVersion = err(406, 'invalid_version')
export const missingModule = err(406, 'missing_module')
export const memcachedCannotUseModules = () =>
  new ApiError(406, 'memcached_cannot_use_modules', 'A memcached database cannot load modules')
export const invalidSharding = err(406, 'invalid_sharding')
// Undocumented code: roles_permissions naming a role or Redis ACL that does not exist.
export const invalidRolePermissions = err(406, 'invalid_role_permissions')
export const uidExists = (uid: number) => new ApiError(409, 'uid_exists', `A database with uid ${uid} already exists`)
export const nameInUse = (name: string) => new ApiError(409, 'name_in_use', `The database name '${name}' is already in use`)
export const bdbBusy = (uid: number, status: string) =>
  new ApiError(409, 'busy', `Database ${uid} is busy with another change (status '${status}'); retry later`)
// The docs give 403 for these two without naming a code.
export const licenseExpired = () => new ApiError(403, 'license_expired', 'The cluster license has expired')
export const internalBdb = (uid: number) => new ApiError(403, 'internal_bdb', `Database ${uid} is an internal database and cannot be deleted`)

// Bootstrap and license (docs/rs-api-notes.md §3.2, §5.9)
export const bootstrapInProgress = (state: string) =>
  new ApiError(409, 'bootstrap_in_progress', `A bootstrap action is already running (state '${state}')`)
export const alreadyInCluster = () => new ApiError(409, 'already_in_cluster', 'This node is already a member of a cluster')
export const licenseNotFound = () => new ApiError(404, 'license_not_found', 'No license is installed')
export const invalidLicense = err(400, 'invalid_license')
export const licenseViolation = err(406, 'license_violation')

// Query parameters (GET /v1/logs)
export const invalidParam = err(400, 'invalid_param')

// Test control under /_mock/ and the state file: the mock's own codes, no RS equivalent.
export const invalidStateDocument = (why: string) =>
  new ApiError(400, 'invalid_state_document', `The state document was refused, nothing changed: ${why}`)
export const stateWriteFailed = (why: string) =>
  new ApiError(500, 'state_write_failed', `The change was not saved to the state file and was undone: ${why}`)
export const faultNotFound = notFound('fault', 'Fault rule')
export const scenarioNotFound = notFound('scenario', 'Scenario')
export const tooManyFaults = (max: number) =>
  new ApiError(409, 'too_many_faults', `At most ${max} fault rules can be active; remove some first`)
export const invalidScenario = err(400, 'invalid_scenario')
export const lastListeningNode = (uid: number) => new ApiError(409, 'last_listening_node',
  `Node ${uid} is the last node of this process still listening: down, nothing would answer, not even /_mock/ (take another node down, or partition this one)`)

// Users, roles and Redis ACLs (docs/rs-api-notes.md §5.3-§5.5). The docs list these codes without a
// status for each; the status is the one their page lists for that kind of failure.
export const missingField = (field: string) => new ApiError(400, 'missing_field', `The field '${field}' is required`)
export const objectUidExists = (label: string, uid: number) => new ApiError(409, 'uid_exists', `A ${label} with uid ${uid} already exists`)
export const emailAlreadyExists = (email: string) => new ApiError(409, 'email_already_exists', `A user with email '${email}' already exists`)
/** Roles, Redis ACLs and LDAP mappings: their pages list name_already_exists under 400 (docs/decisions.md #57). */
export const nameAlreadyExists = (label: string, name: string) =>
  new ApiError(400, 'name_already_exists', `A ${label} named '${name}' already exists`)
/** Users: 409, as the OpenAPI description and the page's 409 for a taken email have it. */
export const userNameAlreadyExists = (name: string) =>
  new ApiError(409, 'name_already_exists', `A user named '${name}' already exists`)
export const passwordNotComplex = err(400, 'password_not_complex')
export const newPasswordSameAsCurrent = (status = 406) =>
  new ApiError(status, 'new_password_same_as_current', 'The new password is the same as one of the current ones')
export const changeLastAdminRoleNotAllowed = (description = 'The cluster must keep at least one user with the admin role') =>
  new ApiError(406, 'change_last_admin_role_not_allowed', description)
export const unsupportedResource = err(400, 'unsupported_resource')
// Undocumented codes (docs/differences.md): deleting what others still use, editing a built-in.
export const roleInUse = (uid: number, users: number[]) =>
  new ApiError(406, 'role_in_use', `Role ${uid} is still held by user(s) ${users.join(', ')}`)
export const redisAclInUse = (uid: number, bdbs: number[]) =>
  new ApiError(406, 'redis_acl_in_use', `Redis ACL ${uid} is still bound to database(s) ${bdbs.join(', ')}`)
export const readOnlyObject = (label: string, name: string) =>
  new ApiError(409, 'read_only_object', `The built-in ${label} '${name}' cannot be changed or deleted`)

// Monitoring: stats, alerts, availability, proxies, jsonschema (docs/rs-api-notes.md §5.11, §5.12, §5.14).
// Only the statuses are documented; the availability codes other than no_quorum are guesses.
export const noBdbs = () => new ApiError(404, 'bdb_not_found', 'No databases exist')
export const noShards = () => new ApiError(404, 'shard_not_found', 'No shards exist')
export const bdbNotActive = (uid: number, status: string, httpStatus = 406) =>
  new ApiError(httpStatus, 'bdb_not_active', `Database ${uid} is not active (status '${status}')`)
export const bdbInRecovery = (uid: number) => new ApiError(503, 'bdb_in_recovery', `Database ${uid} is in recovery`)
export const nodeNotActive = (uid: number, status: string) =>
  new ApiError(406, 'node_not_active', `Node ${uid} is not active (status '${status}')`)
export const alertNotFound = notFound('alert', 'Alert')
export const proxyNotFound = notFound('proxy', 'Proxy')
export const invalidThreshold = err(406, 'invalid_threshold')
export const invalidSchemaObject = (object: string) =>
  new ApiError(406, 'invalid_object', `No JSON schema for the object '${object}'`)
export const noQuorum = () => new ApiError(503, 'no_quorum', 'Master healthcheck failed: no quorum in the cluster')
export const bdbUnavailableShardUnreachable = (uid: number) =>
  new ApiError(503, 'bdb_unavailable_shard_unreachable', `Database ${uid} is unavailable: a master shard is unreachable`)
export const bdbEndpointUnavailable = (uid: number) =>
  new ApiError(503, 'bdb_endpoint_unavailable', `Database ${uid} is unavailable: its endpoint does not answer`)
export const bdbLagExceedsTolerance = (uid: number, lagMs: number, toleranceMs: number) =>
  new ApiError(503, 'bdb_lag_exceeds_tolerance', `Database ${uid} lags by ${lagMs} ms, over the tolerance of ${toleranceMs} ms`)

// /v1/users/password (docs/rs-api-notes.md §5.3): the page gives one status per kind of failure (docs/decisions.md #24).
export const userNotExist = (username: string) => new ApiError(404, 'user_not_exist', `User '${username}' does not exist`)
export const unauthorizedAction = () =>
  new ApiError(403, 'unauthorized_action', "Only an admin may change another user's passwords")
export const cannotDeleteLastPassword = () =>
  new ApiError(400, 'cannot_delete_last_password', 'A user must keep at least one password')

// Settings objects (docs/rs-api-notes.md §5.14): the codes their pages list; statuses as listed there.
export const dbConnsAuditConfigNotFound = () =>
  new ApiError(404, 'db_conns_audit_config_not_found', 'No database connection auditing configuration is set')
export const cannotDeleteAuditConfigWhenPolicyEnabled = () =>
  new ApiError(406, 'cannot_delete_audit_config_when_policy_enabled', "The cluster policy's db_conns_auditing is enabled")
export const cannotDeleteAuditConfigWhenBdbEnabled = (uid: number) =>
  new ApiError(406, 'cannot_delete_audit_config_when_bdb_enabled', `Database ${uid} has db_conns_auditing enabled`)
export const illegalFieldsCombination = err(400, 'illegal_fields_combination')
export const missingParam = err(400, 'missing_param')
export const missingCertificate = err(406, 'missing_certificate')
export const noResponderUrl = (status = 400) =>
  new ApiError(status, 'no_responder_url', 'The proxy certificate names no OCSP responder URL')
export const samlMetadataParsingError = err(400, 'saml_metadata_parsing_error')
export const samlMetadataValidationError = err(400, 'saml_metadata_validation_error')

// Certificates (docs/rs-api-notes.md §5.14): the page gives statuses only; the codes are the mock's (docs/decisions.md #27).
export const invalidCertificate = err(400, 'invalid_certificate')
export const unknownCertificate = (name: string) => new ApiError(403, 'unknown_certificate', `'${name}' is not a certificate this API can set`)
export const expiredCertificate = (name: string, validTo: string) =>
  new ApiError(406, 'expired_certificate', `The '${name}' certificate expired on ${validTo}`)
export const certificateNotFound = (name: string) => new ApiError(404, 'certificate_not_found', `No '${name}' certificate is set`)
export const requiredCertificate = (name: string) => new ApiError(403, 'required_certificate', `The '${name}' certificate is required and cannot be deleted`)
export const unsupportedRotation = (name: string) =>
  new ApiError(403, 'unsupported_rotation', `'${name}' is not an internal certificate: only internal ones rotate`)

// LDAP mappings (docs/rs-api-notes.md §5.14)
export const ldapMappingNotExist = (uid: number) => new ApiError(404, 'ldap_mapping_not_exist', `LDAP mapping ${uid} does not exist`)
/** DELETE of a mapping that is not there: the page's only failure status is 406 (docs/decisions.md #57). */
export const ldapMappingNotExistOnDelete = (uid: number) => new ApiError(406, 'ldap_mapping_not_exist', `LDAP mapping ${uid} does not exist`)
export const invalidDnParam = err(400, 'invalid_dn_param')
export const invalidNameParam = err(400, 'invalid_name_param')
export const invalidRoleUidsParam = err(400, 'invalid_role_uids_param')
export const directoryLoginNotFound = notFound('ldap_login', 'LDAP directory login')
export const suffixNotFound = notFound('suffix', 'DNS suffix')
// Replication and Active-Active (docs/rs-api-notes.md §5.14; the codes are undocumented: docs/decisions.md #33).
export const syncerStateNotFound = (uid: number, kind: string) =>
  new ApiError(404, 'syncer_state_not_found', `Database ${uid} has no ${kind} syncer state: no ${kind} sources or its sync is disabled`)
export const syncSourceNotFound = notFound('sync_source', 'Sync source')
export const peerNotFound = notFound('peer', 'Peer instance')
export const notCrdb = (uid: number) => new ApiError(406, 'not_crdb', `Database ${uid} is not an Active-Active (CRDB) database`)
export const crdbNotFound = notFound('crdb', 'Active-Active database')
export const crdbTaskNotFound = notFound('crdb_task', 'CRDB task')
export const crdbInstanceNotFound = notFound('crdb_instance', 'Active-Active instance')
export const invalidCrdbConfig = err(406, 'invalid_crdb_config')
export const taskNotCancellable = (id: string, why: string) =>
  new ApiError(406, 'task_not_cancellable', `CRDB task '${id}' cannot be canceled: ${why}`)
export const nameViolation = (uid: number) => new ApiError(406, 'name_violation', `Database ${uid} is an Active-Active member: its name cannot change`)
export const crdtShardingViolation = (uid: number) =>
  new ApiError(406, 'crdt_sharding_violation', `Database ${uid} is an Active-Active member created without sharding: it cannot be changed to use sharding`)
export const notSupportedActionOnCrdt = (uid: number, action: string) =>
  new ApiError(406, 'not_supported_action_on_crdt', `'${action}' is not allowed on the Active-Active member database ${uid}`)
// Database actions, passwords, modules and shard actions (docs/rs-api-notes.md §5.6, §5.7, §5.10).
// Where a route's page names its codes (shard and module routes) those are used (docs/decisions.md #39).
export const badShardsBlueprint = err(406, 'bad_shards_blueprint')
export const wrongClusterStateId = (sent: number, now: number) =>
  new ApiError(409, 'wrong_cluster_state_id', `The blueprint was made for cluster state ${sent}; the cluster is now at ${now}`)
export const unsupportedModuleCapabilities = err(406, 'unsupported_module_capabilities')
export const bdbNotRecoverable = (uid: number, status: string) =>
  new ApiError(409, 'bdb_not_recoverable', `Database ${uid} is not in a recoverable state (status '${status}')`)
export const bdbUnavailablePortUnbound = (uid: number) =>
  new ApiError(503, 'bdb_unavailable_port_unbound', `Database ${uid} is unavailable: its traffic was stopped (port unbound)`)
export const passwordExists = () => new ApiError(406, 'password_exists', 'The database already has this password')
export const passwordNotFound = () => new ApiError(406, 'password_not_found', 'The database has no such password')
export const dbNotExist = (uid: number) => new ApiError(404, 'db_not_exist', `Database '${uid}' does not exist`)
export const moduleNotExist = err(400, 'module_not_exist')
export const paramError = err(400, 'param_error')
export const moduleConfigUnsupported = err(406, 'module_config_unsupported')
export const moduleDowngradeUnsupported = err(406, 'module_downgrade_unsupported')
export const redisIncompatibleVersion = err(406, 'redis_incompatible_version')
export const shardNotExist = (uid: string) => new ApiError(404, 'shard_not_exist', `Shard '${uid}' does not exist`)
export const shardUidsRequired = () => new ApiError(404, 'shard_uids_required', 'A list of shard UIDs (shard_uids) is required')
export const nodeUidRequired = () => new ApiError(404, 'node_uid_required', 'The target node (target_node_uid) is required')
export const shardIsSlave = (uid: string) => new ApiError(400, 'shard_is_slave', `Shard '${uid}' is a replica; only a primary shard fails over`)
export const noReplica = (uid: number) => new ApiError(400, 'no_replica', `Database ${uid} has no replica shards to promote`)
export const failoverShardsDifferentBdb = () =>
  new ApiError(400, 'failover_shards_different_bdb', 'All failover shards must belong to the same database')
export const dbBusy = (uid: number, status: string) =>
  new ApiError(409, 'db_busy', `Database ${uid} is busy with another change (status '${status}'); retry later`)
export const moduleExists = err(406, 'module_exists')
export const invalidModule = err(406, 'invalid_module')
export const noModule = err(400, 'no_module')
export const moduleInUse = err(406, 'module_in_use')
export const bundledModule = err(406, 'bundled_module')
