// Active-Active: the CRDBs this cluster takes part in, their tasks, and the coordinator that
// carries each change to the other clusters. Above the databases.
export { COORDINATOR_HEADER, httpsPeers } from './coordinator.js'
export type { PeerRequest, PeerTransport } from './crdb-model.js'
export { Crdbs } from './crdbs.js'
export type { CrdbWrite } from './crdbs.js'
