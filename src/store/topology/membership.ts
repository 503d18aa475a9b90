// Nodes that live in another process of the mock (docs/decisions.md #51-#52): the master's side
// admits a joining node, the joining side keeps where its master is. No network here: the
// test control (src/control/cluster-link.ts) carries the requests over HTTPS.
import { alreadyInCluster, insufficientResources, invalidSchema, noQuorum, nodeNotInCluster } from '../../base/errors.js'
import { badAddress } from '../../base/address.js'
import type { Core, RemoteNode, StateDocument } from '../kernel/index.js'
import { hasQuorum, MAX_NODES, nodeLike } from './topology.js'

export interface JoinRequestBody { url: string, token: string, addr?: string, external_addr?: string[], dry_run?: boolean }

export class Membership {
  /** Set by the test control: tells a removed node of another process that it left. */
  onRemoteRemoved?: (node: RemoteNode) => void

  constructor (private readonly core: Core) {}

  private get ops () { return this.core.state.nodeOps }

  /** In a process that joined a cluster: its uid there and the master's URL. */
  get member (): { uid: number, master_url: string, token: string } | undefined { return this.ops.member }

  get remote (): readonly RemoteNode[] { return this.ops.remote ?? [] }

  isRemote (uid: number): boolean { return this.remote.some(r => r.uid === uid) }

  /**
   * POST /_mock/nodes/join on the master's process: a node of another process becomes the next
   * node uid, with no shards until databases are placed again. ADDR is the caller's address.
   */
  admit (body: JoinRequestBody, addr: string): { uid: number, dry_run?: true } {
    const { state } = this.core
    if (!state.inCluster) throw nodeNotInCluster()
    if (!/^https:\/\/[^\s/]+$/.test(body.url)) throw invalidSchema('url must be the joining node\'s https://host:port')
    const bad = badAddress([...(body.addr === undefined ? [] : [body.addr]), ...(body.external_addr ?? [])])
    if (bad !== undefined) throw invalidSchema(`'${bad}' is not an IP address or a host name`)
    if (this.remote.some(r => r.url === body.url)) throw alreadyInCluster()
    if (!hasQuorum(state)) throw noQuorum()
    // As many nodes as --nodes allows: a cluster has no more, however they join.
    if (state.nodes.size >= MAX_NODES) throw insufficientResources(`The cluster has ${MAX_NODES} nodes, the most it can have`)
    const uid = Math.max(0, ...state.nodes.keys()) + 1
    if (body.dry_run === true) return { uid, dry_run: true }
    const template = state.nodes.get(state.masterUid) ?? [...state.nodes.values()][0]
    const node = nodeLike(template, uid)
    node.addr = body.addr ?? addr
    node.external_addr = body.external_addr ?? []
    state.nodes.set(uid, node)
    const proxy = state.proxies.get(template.uid)
    if (proxy !== undefined) state.proxies.set(uid, { ...structuredClone(proxy), uid })
    this.ops.remote = [...this.remote, { uid, url: body.url, token: body.token }]
    this.core.log('cluster_node_joined', { node_uid: String(uid) })
    this.core.changed()
    return { uid }
  }

  /**
   * What a joining node is sent (docs/decisions.md #51): the state it answers its own requests
   * and logins from, without what only the master uses: the certificates' private keys, the
   * LDAP bind password and the event log.
   */
  joinerState (doc: StateDocument): StateDocument {
    const state = doc.state
    for (const pem of Object.values(state.certificates as Record<string, { key?: string }>)) delete pem.key
    const ldap = (state.settings as Record<string, Record<string, unknown> | undefined>).ldap
    if (ldap !== undefined && 'bind_pass' in ldap) ldap.bind_pass = ''
    state.events = []
    return doc
  }

  /** A removed node: no longer remote; its process is told (best effort) by the test control. */
  removed (uid: number): void {
    const found = this.remote.find(r => r.uid === uid)
    if (found === undefined) return
    this.ops.remote = this.remote.filter(r => r !== found)
    this.onRemoteRemoved?.(found)
  }
}
