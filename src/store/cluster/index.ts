// The cluster as a whole: the cluster object and its information, bootstrap and the fresh
// cluster, node writes and node actions, proxies. The highest domain: it may use every other.
export { Bootstrap, MAX_JOIN_TARGETS } from './bootstrap.js'
export type { BootstrapAction, JoinOutcome, JoinRequest } from './bootstrap.js'
export { Cluster } from './cluster.js'
export { ClusterInfo } from './cluster-info.js'
export { NODE_ACTIONS, NodeOps } from './node-ops.js'
export type { NodeAction } from './node-ops.js'
export { defaultProxies, Proxies } from './proxies.js'
