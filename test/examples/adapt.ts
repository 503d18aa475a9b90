// How each documented example is fitted to the mock's fixtures (the default cluster: databases
// 1-3, database 2 replicated with shards 2 and 3, node 1, users and roles 1-7): a path or body of
// its own where the page's ids or placeholders name nothing here, and a setup that creates what
// the example acts on (its values fill `%name%` in the path, headers and body). `expect`: the
// error status the page documents for the state the example, as printed, finds on the default
// cluster (`why` says which); the success of the same request is covered by the area's tests.
import type { Send } from './send.js'

export interface Adaptation {
  method?: string
  path?: string
  headers?: Record<string, string>
  body?: unknown
  setup?: (send: Send) => Promise<Record<string, string>>
  expect?: { status: number, why: string }
}

const json = { 'content-type': 'application/json' }

async function post (send: Send, path: string, body: unknown, method = 'POST'): Promise<Record<string, unknown>> {
  const res = await send(method, path, { headers: json, body })
  if (res.status !== 200) throw new Error(`setup: ${method} ${path} answered ${res.status} ${res.body}`)
  return (res.body === '' ? {} : JSON.parse(res.body)) as Record<string, unknown>
}

async function get (send: Send, path: string): Promise<unknown> {
  const res = await send('GET', path, { headers: {} })
  if (res.status !== 200) throw new Error(`setup: GET ${path} answered ${res.status} ${res.body}`)
  return JSON.parse(res.body)
}

/** An action in the actions list: a flush of database 1 makes one. */
async function action (send: Send) {
  await post(send, '/v1/bdbs/1/flush', undefined, 'PUT')
  const list = await get(send, '/v1/actions') as { actions: Array<{ action_uid: string }> }
  return { uid: list.actions[0].action_uid }
}

/** An Active-Active database on this cluster alone, and the task that created it. */
async function crdb (send: Send) {
  const cluster = await get(send, '/v1/cluster') as { name: string }
  const task = await post(send, '/v1/crdbs', {
    name: 'example-crdb',
    default_db_config: { memory_size: 1048576 },
    instances: [{ cluster: { name: cluster.name, url: `https://${cluster.name}:9443`, credentials: { username: 'admin@redis.local', password: 'admin' } } }]
  })
  await post(send, '/_mock/timing/complete', undefined) // the task and its database are done
  return { guid: String(task.crdb_guid), task: String(task.id) }
}

const role = async (send: Send) => ({ uid: String((await post(send, '/v1/roles', { name: 'example-role', management: 'db_viewer' })).uid) })
const acl = async (send: Send) => ({ uid: String((await post(send, '/v1/redis_acls', { name: 'example-acl', acl: '+@read' })).uid) })
const user = async (send: Send) => ({
  uid: String((await post(send, '/v1/users', { email: 'example@redis.local', password: 'Example-Pass-1', name: 'example', role: 'db_viewer' })).uid),
  username: 'example@redis.local'
})
const ldapMapping = async (send: Send) => ({
  uid: String((await post(send, '/v1/ldap_mappings', {
    name: 'example-mapping', dn: 'OU=example,DC=redis,DC=local', role_uids: [3], email: 'ops@redis.local', email_alerts: true, bdbs_email_alerts: ['1'], cluster_email_alerts: true
  })).uid)
})

/** Database 1 replicates from two Replica Of sources (uids 1 and 2), as the pages' examples show. */
async function replicaSources (send: Send) {
  await post(send, '/v1/bdbs/1', { replica_sources: [{ uri: 'redis://:pass@10.0.0.9:12000' }, { uri: 'redis://:pass@10.0.0.9:12001' }] }, 'PUT')
  await post(send, '/_mock/timing/complete', undefined)
  return {}
}

const token = async (send: Send) => ({ token: String((await post(send, '/v1/users/authorize', { ttl: 3600 })).access_token) })
const fixture = (status: number, why: string) => ({ expect: { status, why } })

export const adaptations: Record<string, Adaptation> = {
  'actions/_index.md#get-action': { path: '/v1/actions/%uid%', setup: action },
  'actions/_index.md#get-action-v2': { path: '/v2/actions/%uid%', setup: action },
  // Shard 1 of database 1 is its only shard, and node 1 the only node.
  'bdbs/actions/optimize_shards_placement.md#put-bdbs-rearrange-shards': { body: { shards_blueprint: [{ nodes: [{ node_uid: '1', role: 'master' }], slot_range: '0-16383' }] } },
  'cluster/actions.md#get-cluster-action': { path: '/v1/cluster/actions/change_master', ...fixture(404, 'no change_master has run') },
  'cluster/actions.md#post-cluster-action/1': { path: '/v1/cluster/actions/change_master', ...fixture(400, 'the page prints no node_uid, which the mock needs (docs/decisions.md)') },
  'cluster/actions.md#post-cluster-action/2': fixture(400, 'the page prints no node_uid, which the mock needs (docs/decisions.md)'),
  'crdbs/_index.md#patch-crdbs': { path: '/v1/crdbs/%guid%', setup: crdb, ...fixture(400, 'the page prints no body') },
  'crdbs/purge.md#put-crdbs-purge': { path: '/v1/crdbs/%guid%/purge', setup: crdb, ...fixture(400, 'the page prints no body') },
  'crdbs/updates.md#post-crdbs-updates': { path: '/v1/crdbs/%guid%/updates', setup: crdb, ...fixture(400, 'the page prints no body') },
  'crdbs/upgrade.md#post-crdbs-upgrade': { path: '/v1/crdbs/%guid%/upgrade', setup: crdb, ...fixture(406, 'the page\'s Redis 8.2 is newer than the cluster\'s') },
  'cluster/actions.md#delete-cluster-action': { path: '/v1/cluster/actions/change_master', ...fixture(404, 'no change_master has run') },
  'crdb_tasks/_index.md#get-crdb_task': { path: '/v1/crdb_tasks/%task%', setup: crdb },
  'crdb_tasks/_index.md#post-crdb_task-cancel': { path: '/v1/crdb_tasks/%task%/actions/cancel', setup: crdb, ...fixture(406, 'the task has finished') },
  'crdbs/_index.md#get-crdb': { path: '/v1/crdbs/%guid%', setup: crdb },
  'crdbs/_index.md#delete-crdb': { path: '/v1/crdbs/%guid%', setup: crdb },
  'crdbs/flush.md#put-crdbs-flush': { path: '/v1/crdbs/%guid%/flush', setup: crdb },
  'crdbs/health_report.md#get-crdbs-health': { path: '/v1/crdbs/%guid%/health_report', setup: crdb },
  'ldap_mappings/_index.md#get-ldap_mapping': { path: '/v1/ldap_mappings/%uid%', setup: ldapMapping },
  'ldap_mappings/_index.md#put-ldap_mapping': { path: '/v1/ldap_mappings/%uid%', setup: ldapMapping },
  'ldap_mappings/_index.md#delete-ldap_mappings': { path: '/v1/ldap_mappings/%uid%', setup: ldapMapping },
  'modules/_index.md#get-module': { path: '/v1/modules/%uid%', setup: async send => ({ uid: (await get(send, '/v1/modules') as Array<{ uid: string }>)[0].uid }) },
  'redis_acls/_index.md#put-redis_acl': { path: '/v1/redis_acls/%uid%', setup: acl },
  'redis_acls/_index.md#delete-redis_acl': { path: '/v1/redis_acls/%uid%', setup: acl },
  'roles/_index.md#put-role': { path: '/v1/roles/%uid%', setup: role },
  'roles/_index.md#delete-role': { path: '/v1/roles/%uid%', setup: role },
  'users/_index.md#put-user': { path: '/v1/users/%uid%', setup: user },
  'users/_index.md#delete-user': { path: '/v1/users/%uid%', setup: user },
  // The page prints a description where the username goes.
  'users/password.md#update-password': { body: { username: '%username%', new_password: 'Example-Pass-2' }, setup: user },
  'users/password.md#add-password': { body: { username: '%username%', new_password: 'Example-Pass-2' }, setup: user },
  'users/password.md#delete-password': {
    body: { username: '%username%', old_password: 'Example-Pass-1' },
    setup: async send => {
      const u = await user(send)
      await post(send, '/v1/users/password', { username: u.username, new_password: 'Example-Pass-2' })
      return u
    }
  },
  // The page prints a placeholder for the number of seconds.
  'users/authorize.md#post-authorize': { body: { ttl: 3600 } },
  'users/refresh_jwt.md#post-refresh_jwt': { headers: { authorization: 'JWT %token%' }, setup: token },
  'suffix/_index.md#get-suffix': { path: '/v1/suffix/%name%', setup: async send => ({ name: (await get(send, '/v1/suffixes') as Array<{ name: string }>)[0].name }) },
  // The page's date has lost a digit (015-05-27).
  'shards/stats/last.md#get-all-shards-stats-last': { path: '/v1/shards/stats/last?interval=1sec&stime=2015-05-27T08:27:35Z' },
  // Database 2's master shard is 2; the cluster has one node, so a migration has nowhere to go.
  'shards/actions/failover.md#post-multi-shards': { body: { shard_uids: ['2'] } },
  'shards/actions/failover.md#post-shard': { path: '/v1/shards/2/actions/failover' },
  'nodes/actions.md#post-node-action/2': { path: '/v1/nodes/1/actions/remove' },
  'nodes/actions.md#get-node-action': fixture(404, 'no action runs on node 1'),
  'nodes/actions.md#delete-node-action': fixture(404, 'no action runs on node 1'),
  'nodes/_index.md#put-node': fixture(406, 'node 1 is online, and addr changes only on an offline node'),
  // Maintenance mode takes a snapshot, in use until it ends: the example deletes it afterwards.
  'nodes/snapshots.md#delete-snapshot': {
    path: '/v1/nodes/1/snapshots/%name%',
    setup: async send => {
      await post(send, '/v1/nodes/1/actions/maintenance_on', {})
      await post(send, '/_mock/timing/complete', undefined)
      await post(send, '/v1/nodes/1/actions/maintenance_off', {}) // the snapshot is kept
      await post(send, '/_mock/timing/complete', undefined)
      return { name: (await get(send, '/v1/nodes/1/snapshots') as Array<{ name: string }>)[0].name }
    }
  },
  'shards/actions/migrate.md#post-multi-shards': fixture(404, 'the page\'s shards and node 9 do not exist, and the cluster has one node'),
  'shards/actions/migrate.md#post-shard': fixture(404, 'node 9 does not exist, and the cluster has one node'),
  'cluster/certificates/_index.md#delete-cluster-certificate': { path: '/v1/cluster/certificates/syncer', ...fixture(403, 'the syncer certificate is required') },
  'cluster/certificates/_index.md#put-cluster-certificates': fixture(400, 'the page\'s PEM texts are placeholders'),
  'cluster/certificates/_index.md#put-cluster-update_cert': fixture(403, 'the page\'s certificate1 is not a certificate name'),
  'cluster/sso.md#get-cluster-sso-saml-metadata': fixture(406, 'the sso_service certificate is not set'),
  'cluster/sso.md#post-cluster-sso-saml-metadata': fixture(400, 'the page\'s metadata is a truncated placeholder'),
  // The page prints POST in the section of PUT /v1/cluster/ldap.
  'cluster/ldap.md#put-cluster-ldap': { method: 'PUT' },
  // The page prints /1 after the cluster stats path.
  'cluster/stats/_index.md#get-cluster-stats': { path: '/v1/cluster/stats?interval=1hour&stime=2014-08-28T10:00:00Z' },
  'cluster/auditing-db-conns.md#delete-cluster-audit-db-conns': {
    setup: async send => {
      await post(send, '/v1/cluster/auditing/db_conns', { audit_protocol: 'TCP', audit_address: '127.0.0.1', audit_port: 12345 }, 'PUT')
      return {}
    }
  },
  'bdbs/actions/recover.md#post-bdbs-actions-recover': fixture(409, 'database 1 is active, not recoverable'),
  'bdbs/modules/upgrade.md#post-bdb-modules-upgrade': fixture(406, 'the page\'s new module is not installed'),
  'bdbs/passwords.md#delete-bdbs-password': {
    setup: async send => {
      await post(send, '/v1/bdbs/1/passwords', { password: 'password to delete' })
      return {}
    }
  },
  'bdbs/peer_stats.md#get-all-bdbs-peer_stats': fixture(406, 'database 1 is not an Active-Active database'),
  'bdbs/peer_stats.md#get-bdbs-peer_stats': fixture(406, 'database 1 is not an Active-Active database'),
  'bdbs/sync_source_stats.md#get-all-bdbs-sync_source_stats': { setup: replicaSources },
  'bdbs/sync_source_stats.md#get-bdbs-sync_source_stats': { setup: replicaSources },
  'bdbs/syncer_state/_index.md#get-syncer-state': fixture(404, 'database 1 has no CRDT source, whose syncer this reads'),
  'bdbs/syncer_state/crdt.md#get-syncer-state': fixture(404, 'database 1 has no sync source'),
  'bdbs/syncer_state/replica.md#get-syncer-state': { setup: replicaSources },
  'bdbs/crdt_sources-alerts.md#get-bdbs-crdt-source-all-alerts': fixture(404, 'database 1 has no sync source'),
  'bdbs/crdt_sources-alerts.md#get-bdbs-crdt-source-alert': fixture(404, 'database 1 has no sync source'),
  'bdbs/replica_sources-alerts.md#get-all-bdbs-replica-sources-alerts': { setup: replicaSources },
  'bdbs/replica_sources-alerts.md#get-bdbs-replica-sources-alerts': { setup: replicaSources },
  'bdbs/replica_sources-alerts.md#get-bdbs-replica_source-all-alerts': { setup: replicaSources },
  'bdbs/replica_sources-alerts.md#get-bdbs-replica-source-alert': { setup: replicaSources },
  'bootstrap/_index.md#post-bootstrap': fixture(409, 'the default cluster is bootstrapped already'),
  'bootstrap/validate.md#post-bootstrap-validate': fixture(406, 'the page prints no body to validate'),
  'license/_index.md#put-license': fixture(400, 'the page\'s license key is a truncated placeholder'),
  'modules/user-defined.md#post-local-user-defined-artifacts': fixture(400, 'the page prints no multipart body'),
  // The module the page's POST example defines, then deleted.
  'modules/user-defined.md#delete-user-defined-module': {
    path: '/v2/modules/user-defined/%uid%',
    setup: async send => ({
      uid: String((await post(send, '/v2/modules/user-defined', { module_name: 'TestModule', version: 1, semantic_version: '0.0.1', display_name: 'test module', commands: [], command_line_args: '', capabilities: [], min_redis_version: '2.1' })).uid)
    })
  },
  'modules/user-defined.md#delete-local-user-defined-artifacts': fixture(404, 'no artifact some-custom-module/123 exists'),
  'ocsp/_index.md#put-ocsp': fixture(400, 'the proxy certificate names no OCSP responder'),
  'ocsp/test.md#post-test': fixture(500, 'the proxy certificate names no OCSP responder'),
  // The page's clusters are placeholders: the example creates it on this cluster alone.
  'crdbs/_index.md#post-crdb': {
    body: { default_db_config: { name: 'sample-crdb', memory_size: 214748365 }, instances: [{ cluster: { url: 'https://%name%:9443', credentials: { username: 'admin@redis.local', password: 'admin' }, name: '%name%' }, compression: 6 }], name: 'sample-crdb' },
    setup: async send => ({ name: (await get(send, '/v1/cluster') as { name: string }).name })
  }
}
