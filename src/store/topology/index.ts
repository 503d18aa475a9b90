// Where everything runs: the nodes (grown from the seed, quorum, master), the nodes of other
// processes (membership), and the shards' placement on the nodes. Above the kernel only.
export { CLUSTER_ACTIONS, Master } from './master.js'
export { Membership } from './membership.js'
export type { JoinRequestBody } from './membership.js'
export { applyBlueprint, blueprint, checkBlueprint, moveShards, usableNodes } from './placement.js'
export { Shards, slotRange } from './shards.js'
export type { Placed, Placement } from './shards.js'
export { demoteNode, firstUid, footprint, memoryBalance, hasQuorum, masterUnreachable, MAX_NODES, nextMaster, spreadShards, withNodes } from './topology.js'
