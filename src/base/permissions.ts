// Permission → management roles, transcribed from the RS docs' "roles list per permission"
// table (docs/rs-api-notes.md §6.1). `none` holds no permission. Routes name one of these in
// `config.permission`; src/http/front-door.ts enforces it.

export const managementRoles = ['admin', 'cluster_member', 'cluster_viewer', 'db_member', 'db_viewer', 'user_manager', 'none'] as const
export type ManagementRole = typeof managementRoles[number]

const [A, CM, CV, DM, DV, UM] = managementRoles

const groups = [
  [[A], ['add_cluster_module', 'cancel_cluster_action', 'cancel_node_action', 'config_ocsp', 'config_sso', 'delete_cluster_module',
    'manage_cluster_modules', 'start_cluster_action', 'start_node_action', 'test_ocsp_status', 'update_cluster', 'update_node',
    'view_ocsp_config', 'view_ocsp_status']],
  [[A, UM], ['config_ldap', 'create_ldap_mapping', 'create_new_user', 'create_redis_acl', 'create_role', 'delete_ldap_mapping',
    'delete_redis_acl', 'delete_role', 'delete_user', 'install_new_license', 'update_ldap_mapping', 'update_proxy', 'update_redis_acl',
    'update_role', 'update_user', 'view_all_ldap_mappings_info', 'view_all_users_info', 'view_ldap_config', 'view_ldap_mapping_info',
    'view_user_info']],
  [[A, CM, DM], ['create_bdb', 'create_crdb', 'delete_bdb', 'delete_crdb', 'edit_bdb_module', 'failover_shard', 'flush_crdb',
    'migrate_shard', 'purge_instance', 'reset_bdb_current_backup_status', 'reset_bdb_current_export_status',
    'reset_bdb_current_import_status', 'start_bdb_export', 'start_bdb_import', 'start_bdb_recovery', 'update_bdb',
    'update_bdb_alerts', 'update_bdb_with_action', 'update_crdb', 'upgrade_crdb']],
  [[A, CM, CV], ['view_all_metrics']],
  [[A, CM, UM], ['view_cluster_keys']],
  // docs/decisions.md #15: the two tables of the docs disagree; user_manager gets neither debugging permission.
  [[A, CM, DM], ['view_debugging_info']],
  [[A, CM, DM, UM], ['view_redis_pass']],
  [[A, CM, CV, DM, UM], ['view_logged_events']],
  [[A, CM, CV, DM, DV], ['view_bdb_recovery_plan']],
  [[A, CM, CV, DM, DV, UM], ['view_all_bdb_stats', 'view_all_bdbs_alerts', 'view_all_bdbs_info', 'view_all_nodes_alerts',
    'view_all_nodes_checks', 'view_all_nodes_info', 'view_all_nodes_stats', 'view_all_proxies_info', 'view_all_redis_acls_info',
    'view_all_roles_info', 'view_all_shard_stats', 'view_bdb_alerts', 'view_bdb_info', 'view_bdb_stats',
    'view_cluster_alerts', 'view_cluster_info', 'view_cluster_modules', 'view_cluster_stats', 'view_crdb', 'view_crdb_list',
    'view_crdb_task', 'view_crdb_task_list', 'view_endpoint_stats', 'view_license', 'view_node_alerts', 'view_node_check',
    'view_node_info', 'view_node_stats', 'view_proxy_info', 'view_redis_acl_info', 'view_role_info', 'view_shard_stats',
    'view_sso', 'view_status_of_all_node_actions', 'view_status_of_cluster_action', 'view_status_of_node_action']]
] as const satisfies ReadonlyArray<readonly [readonly ManagementRole[], readonly string[]]>

/** Every permission of the table: a route naming one that is not here does not compile. */
export type Permission = typeof groups[number][1][number]

// Keyed by string: the RBAC test and GET /v1/users/permissions look names up as data.
export const permissionRoles: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  groups.flatMap(([roles, perms]) => perms.map(p => [p as string, new Set<string>(roles)] as const))
)

export function allows (role: string, permission: string): boolean {
  const roles = permissionRoles.get(permission)
  if (roles === undefined) throw new Error(`unknown permission ${permission}`)
  return roles.has(role)
}

/** The permissions a management role holds, sorted: GET /v1/users/permissions answers with these. */
export function permissionsOf (role: string): string[] {
  return [...permissionRoles].filter(([, roles]) => roles.has(role)).map(([p]) => p).sort()
}

export const isManagementRole = (role: string): role is ManagementRole => (managementRoles as readonly string[]).includes(role)

const breadth = new Map(managementRoles.map(r => [r as string, permissionsOf(r).length]))

/** Of several management roles, the one holding the most permissions (the first on a tie). */
export function broadestRole (roles: readonly string[]): string {
  let best = 'none'
  for (const r of roles) if ((breadth.get(r) ?? -1) > (breadth.get(best) ?? -1)) best = r
  return best
}
