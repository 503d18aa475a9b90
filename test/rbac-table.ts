// Every route the app registers and the access it must declare: a permission name from
// src/permissions.ts (docs/rs-api-notes.md §6.1), `+self` when a user may also call it on itself, or
// `access:<kind>` (bootstrap, authenticated, open, control). Add a row for each route you add.
export type RbacRow = readonly [method: string, url: string, access: string]

export const rbacTable: readonly RbacRow[] = [
  // §3.2: unauthenticated until the node is in a cluster
  ['GET', '/v1/bootstrap', 'access:bootstrap'],
  ['POST', '/v1/bootstrap/create_cluster', 'access:bootstrap'],
  ['POST', '/v1/bootstrap/validate/create_cluster', 'access:bootstrap'],
  ['POST', '/v1/bootstrap/join_cluster', 'access:bootstrap'],
  ['POST', '/v1/bootstrap/validate/join_cluster', 'access:bootstrap'],
  ['POST', '/v1/bootstrap/recover_cluster', 'access:bootstrap'],
  ['POST', '/v1/bootstrap/validate/recover_cluster', 'access:bootstrap'],

  // §2.3, §6.1 endpoint map
  ['GET', '/v1/bdbs', 'view_all_bdbs_info'],
  ['GET', '/v1/bdbs/:uid(^\\d+$)', 'view_bdb_info'],
  ['POST', '/v1/bdbs', 'create_bdb'],
  ['POST', '/v2/bdbs', 'create_bdb'],
  ['PUT', '/v1/bdbs/:uid(^\\d+$)', 'update_bdb'],
  ['PUT', '/v1/bdbs/:uid(^\\d+$)/flush', 'update_bdb_with_action'],
  ['PUT', '/v1/bdbs/:uid(^\\d+$)/reset_admin_pass', 'update_bdb_with_action'],
  ['DELETE', '/v1/bdbs/:uid(^\\d+$)', 'delete_bdb'],
  // §2.4: no permission on the docs page (UNCONFIRMED); reading the bdb's shards is reading the bdb
  ['GET', '/v1/bdbs/:uid(^\\d+$)/shards', 'view_bdb_info'],
  ['GET', '/v1/bdbs/:uid(^\\d+$)/availability', 'view_bdb_info'],
  ['GET', '/v1/local/bdbs/:uid(^\\d+$)/endpoint/availability', 'view_bdb_info'],

  ['GET', '/v1/cluster', 'view_cluster_info'],
  ['PUT', '/v1/cluster', 'update_cluster'],
  ['GET', '/v1/cluster/actions', 'view_status_of_cluster_action'],
  ['GET', '/v1/cluster/actions/change_master', 'view_status_of_cluster_action'],
  ['POST', '/v1/cluster/actions/change_master', 'start_cluster_action'],
  ['DELETE', '/v1/cluster/actions/change_master', 'cancel_cluster_action'],
  ['GET', '/v1/cluster/policy', 'view_cluster_info'],
  ['PUT', '/v1/cluster/policy', 'update_cluster'],
  ['GET', '/v1/local/node/master_healthcheck', 'view_cluster_info'],
  // OPENAPI only, no permission given
  ['GET', '/v4/cluster/health', 'view_cluster_info'],
  ['GET', '/v4/db/:uid(^\\d+$)/health', 'view_bdb_info'],

  ['GET', '/v1/nodes', 'view_all_nodes_info'],
  ['GET', '/v1/nodes/:uid(^\\d+$)', 'view_node_info'],
  // all nodes' status; view_all_nodes_info would read better, both are held by every role
  ['GET', '/v1/nodes/status', 'view_node_info'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/status', 'view_node_info'],
  ['PUT', '/v1/nodes/:uid(^\\d+$)', 'update_node'],
  ['GET', '/v1/nodes/actions', 'view_status_of_all_node_actions'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/actions', 'view_status_of_node_action'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/actions/remove', 'view_status_of_node_action'],
  ['POST', '/v1/nodes/:uid(^\\d+$)/actions/remove', 'start_node_action'],
  ['DELETE', '/v1/nodes/:uid(^\\d+$)/actions/remove', 'cancel_node_action'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/actions/maintenance_on', 'view_status_of_node_action'],
  ['POST', '/v1/nodes/:uid(^\\d+$)/actions/maintenance_on', 'start_node_action'],
  ['DELETE', '/v1/nodes/:uid(^\\d+$)/actions/maintenance_on', 'cancel_node_action'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/actions/maintenance_off', 'view_status_of_node_action'],
  ['POST', '/v1/nodes/:uid(^\\d+$)/actions/maintenance_off', 'start_node_action'],
  ['DELETE', '/v1/nodes/:uid(^\\d+$)/actions/maintenance_off', 'cancel_node_action'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/actions/enslave_node', 'view_status_of_node_action'],
  ['POST', '/v1/nodes/:uid(^\\d+$)/actions/enslave_node', 'start_node_action'],
  ['DELETE', '/v1/nodes/:uid(^\\d+$)/actions/enslave_node', 'cancel_node_action'],
  ['GET', '/v1/nodes/:uid(^\\d+$)/snapshots', 'view_node_info'],
  ['DELETE', '/v1/nodes/:uid(^\\d+$)/snapshots/:name', 'update_node'],

  ['GET', '/v1/license', 'view_license'],
  ['PUT', '/v1/license', 'install_new_license'],
  ['GET', '/v1/modules', 'view_cluster_modules'],
  ['GET', '/v1/modules/:uid', 'view_cluster_modules'],

  // §5.8
  ['GET', '/v1/actions', 'view_status_of_cluster_action'],
  ['GET', '/v1/actions/:uid', 'view_status_of_cluster_action'],
  ['GET', '/v2/actions', 'view_status_of_cluster_action'],
  ['GET', '/v2/actions/:uid', 'view_status_of_cluster_action'],
  ['GET', '/v1/actions/bdb/:uid(^\\d+$)', 'view_status_of_cluster_action'],

  // §5.6: GET /v1/shards has no documented permission (UNCONFIRMED)
  ['GET', '/v1/shards', 'view_all_shard_stats'],
  ['GET', '/v1/shards/:uid(^\\d+$)', 'view_shard_stats'],

  ['GET', '/v1/logs', 'view_logged_events'],

  // §5.3
  ['GET', '/v1/users', 'view_all_users_info'],
  ['GET', '/v1/users/:uid(^\\d+$)', 'view_user_info +self'],
  ['POST', '/v1/users', 'create_new_user'],
  ['PUT', '/v1/users/:uid(^\\d+$)', 'update_user +self'],
  ['DELETE', '/v1/users/:uid(^\\d+$)', 'delete_user'],
  ['GET', '/v1/users/role', 'access:authenticated'],
  ['GET', '/v1/users/permissions', 'access:authenticated'],
  ['GET', '/v1/users/permissions/:role', 'access:authenticated'],
  ['POST', '/v1/users/authorize', 'access:authenticated'],
  ['POST', '/v1/users/refresh_jwt', 'access:authenticated'],

  // §5.4, §5.5
  ['GET', '/v1/roles', 'view_all_roles_info'],
  ['GET', '/v1/roles/:uid(^\\d+$)', 'view_role_info'],
  ['POST', '/v1/roles', 'create_role'],
  ['PUT', '/v1/roles/:uid(^\\d+$)', 'update_role'],
  ['DELETE', '/v1/roles/:uid(^\\d+$)', 'delete_role'],
  ['GET', '/v1/redis_acls', 'view_all_redis_acls_info'],
  ['GET', '/v1/redis_acls/:uid(^\\d+$)', 'view_redis_acl_info'],
  ['POST', '/v1/redis_acls', 'create_redis_acl'],
  ['POST', '/v1/redis_acls/validate', 'create_redis_acl'],
  ['PUT', '/v1/redis_acls/:uid(^\\d+$)', 'update_redis_acl'],
  ['DELETE', '/v1/redis_acls/:uid(^\\d+$)', 'delete_redis_acl'],

  // §5.11
  ['GET', '/v1/cluster/stats', 'view_cluster_stats'],
  ['GET', '/v1/cluster/stats/last', 'view_cluster_stats'],
  ['GET', '/v1/nodes/stats', 'view_all_nodes_stats'],
  ['GET', '/v1/nodes/stats/last', 'view_all_nodes_stats'],
  ['GET', '/v1/nodes/stats/:uid(^\\d+$)', 'view_node_stats'],
  ['GET', '/v1/nodes/stats/last/:uid(^\\d+$)', 'view_node_stats'],
  ['GET', '/v1/bdbs/stats', 'view_all_bdb_stats'],
  ['GET', '/v1/bdbs/stats/last', 'view_all_bdb_stats'],
  ['GET', '/v1/bdbs/stats/:uid(^\\d+$)', 'view_bdb_stats'],
  ['GET', '/v1/bdbs/stats/last/:uid(^\\d+$)', 'view_bdb_stats'],
  ['GET', '/v1/shards/stats', 'view_all_shard_stats'],
  ['GET', '/v1/shards/stats/last', 'view_all_shard_stats'],
  ['GET', '/v1/shards/stats/:uid(^\\d+$)', 'view_shard_stats'],
  ['GET', '/v1/shards/stats/last/:uid(^\\d+$)', 'view_shard_stats'],
  ['GET', '/v1/endpoints/stats', 'view_endpoint_stats'],

  // §5.12
  ['GET', '/v1/cluster/alerts', 'view_cluster_alerts'],
  ['GET', '/v1/cluster/alerts/:alert', 'view_cluster_alerts'],
  ['GET', '/v1/nodes/alerts', 'view_all_nodes_alerts'],
  ['GET', '/v1/nodes/alerts/:uid(^\\d+$)', 'view_node_alerts'],
  ['GET', '/v1/nodes/alerts/:uid(^\\d+$)/:alert', 'view_node_alerts'],
  ['GET', '/v1/bdbs/alerts', 'view_all_bdbs_alerts'],
  ['GET', '/v1/bdbs/alerts/:uid(^\\d+$)', 'view_bdb_alerts'],
  ['GET', '/v1/bdbs/alerts/:uid(^\\d+$)/:alert', 'view_bdb_alerts'],
  ['POST', '/v1/bdbs/alerts/:uid(^\\d+$)', 'update_bdb_alerts'],

  // §5.14
  ['GET', '/v1/proxies', 'view_all_proxies_info'],
  ['GET', '/v1/proxies/:uid(^\\d+$)', 'view_proxy_info'],
  ['PUT', '/v1/proxies/:uid(^\\d+$)', 'update_proxy'],
  // no permission on the docs page (UNCONFIRMED)
  ['GET', '/v1/jsonschema', 'access:authenticated'],

  // the test-control API: outside the RS front door, no RS credentials
  ['GET', '/_mock/health', 'access:open'],
  ['GET', '/_mock/bdbs/:uid(^\\d+$)/health', 'access:control'],
  ['PUT', '/_mock/bdbs/:uid(^\\d+$)/health', 'access:control'],
  ['PUT', '/_mock/bdbs/:uid(^\\d+$)/load', 'access:control'],
  ['DELETE', '/_mock/bdbs/:uid(^\\d+$)/health', 'access:control'],
  ['GET', '/_mock/cluster/health', 'access:control'],
  ['PUT', '/_mock/cluster/health', 'access:control'],
  ['PUT', '/_mock/alerts/cluster/:alert', 'access:control'],
  ['DELETE', '/_mock/alerts/cluster/:alert', 'access:control'],
  ['PUT', '/_mock/alerts/nodes/:uid(^\\d+$)/:alert', 'access:control'],
  ['DELETE', '/_mock/alerts/nodes/:uid(^\\d+$)/:alert', 'access:control'],
  ['PUT', '/_mock/alerts/bdbs/:uid(^\\d+$)/:alert', 'access:control'],
  ['DELETE', '/_mock/alerts/bdbs/:uid(^\\d+$)/:alert', 'access:control'],
  ['GET', '/_mock/status', 'access:control'],
  ['POST', '/_mock/reset', 'access:control'],
  ['GET', '/_mock/state', 'access:control'],
  ['PUT', '/_mock/state', 'access:control'],
  ['GET', '/_mock/scenarios', 'access:control'],
  ['POST', '/_mock/scenario', 'access:control'],
  ['GET', '/_mock/faults', 'access:control'],
  ['POST', '/_mock/faults', 'access:control'],
  ['GET', '/_mock/faults/:id(^\\d+$)', 'access:control'],
  ['DELETE', '/_mock/faults/:id(^\\d+$)', 'access:control'],
  ['DELETE', '/_mock/faults', 'access:control'],
  ['GET', '/_mock/cluster', 'access:control'],
  ['POST', '/_mock/cluster/leave', 'access:control'],
  ['POST', '/_mock/cluster/join', 'access:control'],
  ['GET', '/_mock/timing', 'access:control'],
  ['PUT', '/_mock/timing', 'access:control'],
  ['POST', '/_mock/timing/complete', 'access:control'],
  ['GET', '/_mock/journal', 'access:control'],
  ['GET', '/_mock/journal/count', 'access:control'],
  ['DELETE', '/_mock/journal', 'access:control']
]
