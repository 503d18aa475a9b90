// The documented examples the mock answers otherwise than the page, each with its reason; every
// one is listed in docs/differences.md (generated from this table by
// `node scripts/gen-examples.mjs --figures`). examples.test.ts fails on a difference not listed
// here and on a listed one that no longer shows, so the list stays honest.
import type { Check } from './run.js'

export interface Exception { checks: Check[], reason: string }

const ONE_NODE = 'the default cluster has one node; the page shows three'

export const exceptions: Record<string, Exception> = {
  'nodes/status.md#get-all-nodes-status': { checks: ['keys'], reason: `\`maintenance_snapshot\` shows only while a node has one, as the page says, and none is in maintenance here; and ${ONE_NODE}` },
  'nodes/status.md#get-node-status': { checks: ['keys'], reason: '`maintenance_snapshot` shows only while the node has one, as the page says, and it is not in maintenance here' },
  'cluster/ldap.md#get-cluster-ldap': { checks: ['keys'], reason: '`user_dn_query` and `dn_group_query` show once set: each is mutually exclusive with `user_dn_template` and `dn_group_attr`, which a new cluster has' },
  'bdbs/replica_sources-alerts.md#get-all-bdbs-replica-sources-alerts': { checks: ['keys'], reason: 'the connection-error example\'s `change_value.memory_util` is no measure of that alert' },
  'bdbs/replica_sources-alerts.md#get-bdbs-replica-sources-alerts': { checks: ['keys'], reason: 'the connection-error example\'s `change_value.memory_util` is no measure of that alert' },
  'bdbs/replica_sources-alerts.md#get-bdbs-replica_source-all-alerts': { checks: ['keys'], reason: 'the connection-error example\'s `change_value.memory_util` is no measure of that alert' },
  'bdbs/replica_sources-alerts.md#get-bdbs-replica-source-alert': { checks: ['keys'], reason: 'the connection-error example\'s `change_value.memory_util` is no measure of that alert' },
  'bdbs/crdt_sources-alerts.md#get-all-bdbs-crdt-sources-alerts': { checks: ['keys'], reason: 'database 1 of the default cluster has no CRDT source, so it has no source alerts' },
  'bdbs/crdt_sources-alerts.md#get-bdbs-crdt-sources-alerts': { checks: ['keys'], reason: 'database 1 of the default cluster has no CRDT source, so it has no source alerts' },
  'nodes/stats/last.md#get-all-nodes-stats-last': { checks: ['keys'], reason: ONE_NODE },
  'nodes/actions.md#post-node-action/1': { checks: ['status'], reason: 'the default cluster has one node: removing it answers 406 `insufficient_resources`, an error code the page lists without its status' },
  'nodes/actions.md#post-node-action/2': { checks: ['status'], reason: 'the default cluster has one node: removing it answers 406 `insufficient_resources`, an error code the page lists without its status' },
  'nodes/actions.md#get-node-action': { checks: ['error'], reason: 'the page lists `internal_error` and `insufficient_resources` for reading an action; no action is 404 `node_action_not_found` (decision #5)' },
  'cluster/auditing-db-conns.md#get-cluster-audit-db-conns': { checks: ['keys'], reason: 'never configured, it answers `{}` (decision #25)' },
  'cluster/certificates/_index.md#get-cluster-certificates': { checks: ['keys'], reason: 'internal certificates (`api_cert`, `api_key`) are not listed' },
  'cluster/check.md#get-cluster-check': { checks: ['keys'], reason: 'the page shows a failed check; `error` is there only when a check fails' },
  'migrations/_index.md#get-migrations': { checks: ['keys'], reason: 'the page shows a failed migration; `error` is there only when one fails' },
  'cluster/sso.md#get-cluster-sso': { checks: ['keys'], reason: '`issuer.metadata` is not shown: an identity-provider metadata file only fills in the `issuer` fields' },
  'ocsp/status.md#get-status': { checks: ['keys'], reason: '`{}` before a status was cached, and the proxy certificate names no OCSP responder' },
}
