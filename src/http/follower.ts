// A follower node's answer to cluster-wide requests (docs/decisions.md #21, #48): 307 with
// Location on the master's URL, unless the cluster's handle_redirects is true. Node-local
// requests are answered by the node asked. A node without quorum on its side answers 503
// no_quorum instead (#53). Only a multi-node server, or one that joined another process's
// cluster (#52), calls this.
import type { FastifyRequest } from 'fastify'
import type { Store } from '../store/index.js'
import type { MockControl } from '../control/control.js'
import { noQuorum, nodeNotInCluster, notMaster } from '../base/errors.js'

// /v1/local/..., the bootstrap of this node, a database's availability check and the current node's
// debug info: whichever node is asked.
const LOCAL = /^\/v1\/(?:local\/|bootstrap(?:[/?]|$)|bdbs\/\d+\/availability(?:[/?]|$)|debuginfo\/node(?:[/?]|$))/

const BOOTSTRAP = /^\/v1\/bootstrap(?:[/?]|$)/

/** True for the requests a node answers about itself: the node-local routes and `/v1/nodes/{own uid}[/...]`. */
export function isNodeLocal (url: string, nodeUid: number): boolean {
  if (LOCAL.test(url)) return true
  const own = `/v1/nodes/${nodeUid}`
  return url.startsWith(own) && (url.length === own.length || url[own.length] === '/' || url[own.length] === '?')
}

/** Throws the 307 when this node is a follower and the request is the master's to answer. */
export function followerCheck (req: FastifyRequest, listenerUid: number, store: Store, control: MockControl): void {
  const { master } = store
  const member = master.member
  const nodeUid = member?.uid ?? listenerUid
  if (!master.hasNode(nodeUid)) throw nodeNotInCluster() // a removed node's listener
  // cut off from the others: it cannot read the cluster's configuration, only its own bootstrap
  if (master.partitioned(nodeUid)) {
    if (BOOTSTRAP.test(req.url)) return
    throw noQuorum()
  }
  if (master.uid === nodeUid || isNodeLocal(req.url, nodeUid)) return
  // another process holds the cluster: always a redirect, never served here
  if (member !== undefined) throw notMaster(`${member.master_url}${req.url}`)
  // the master is down or cut off and the others have no quorum to elect one: nowhere to send the client
  if (!master.reachable) throw noQuorum()
  if (master.handleRedirects) return
  const to = control.listeners.find(l => l.uid === master.uid)
  if (to !== undefined) throw notMaster(`${to.url}${req.url}`)
}
