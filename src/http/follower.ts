// A follower node's answer to cluster-wide requests (docs/decisions.md #21, #48): 307 with
// Location on the master's URL, unless the cluster's handle_redirects is true. Node-local
// requests are answered by the node asked. Only a multi-node server ever calls this.
import type { FastifyRequest } from 'fastify'
import type { Store } from '../store/index.js'
import type { MockControl } from '../control/control.js'
import { nodeNotInCluster, notMaster } from '../base/errors.js'

// /v1/local/..., the bootstrap of this node, a database's availability check and the current node's
// debug info: whichever node is asked.
const LOCAL = /^\/v1\/(?:local\/|bootstrap(?:[/?]|$)|bdbs\/\d+\/availability(?:[/?]|$)|debuginfo\/node(?:[/?]|$))/

/** True for the requests a node answers about itself: the node-local routes and `/v1/nodes/{own uid}[/...]`. */
export function isNodeLocal (url: string, nodeUid: number): boolean {
  if (LOCAL.test(url)) return true
  const own = `/v1/nodes/${nodeUid}`
  return url.startsWith(own) && (url.length === own.length || url[own.length] === '/' || url[own.length] === '?')
}

/** Throws the 307 when this node is a follower and the request is the master's to answer. */
export function followerCheck (req: FastifyRequest, nodeUid: number, store: Store, control: MockControl): void {
  const { master } = store
  if (!master.hasNode(nodeUid)) throw nodeNotInCluster() // a removed node's listener
  if (master.uid === nodeUid || master.handleRedirects || isNodeLocal(req.url, nodeUid)) return
  const to = control.listeners.find(l => l.uid === master.uid)
  if (to !== undefined) throw notMaster(`${to.url}${req.url}`)
}
