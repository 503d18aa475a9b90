// The metrics exporter's HTTPS listener (RS: port 8070 on every node), with the API's certificate
// and no authentication, as RS. GET /v2 and /v2/node (metrics stream engine), GET /metrics and /
// (v1, served by the master; other nodes redirect there, as RS's v1 did). Plain node:https, not
// fastify: four paths, and the renderer is loaded on the first scrape only.
import { createServer, type Server } from 'node:https'
import { mockMessages } from '../http/response.js'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Store } from '../store/index.js'
import type { LiveTotals } from './scene.js'
import type { Page } from './render.js'

export const CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8'

export interface ExporterOptions {
  store: Store
  tls: { cert: string, key: string }
  nodeUid: number
  /** a database's real INFO totals (--redis) */
  live?: (uid: number) => LiveTotals | undefined
  /** the v1 exporter's URL on node UID (where a follower's v1 paths redirect) */
  urlOf?: (uid: number) => string | undefined
}

export interface Exporter {
  readonly uid: number
  readonly url: string
  readonly port: number
  /** a node taken down stops answering, and answers again when it is up */
  setUp(up: boolean): Promise<void>
  close(): Promise<void>
}

const PAGES: Record<string, Page> = { '/': 'v1', '/metrics': 'v1', '/v2': 'v2', '/v2/': 'v2', '/v2/node': 'v2-node' }

function fail (res: ServerResponse, status: number, error_code: string, description: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error_code, description })
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers })
  res.end(body)
}

type Renderer = typeof import('./render.js')

export function exporterHandler (o: ExporterOptions, pem: () => string): (req: IncomingMessage, res: ServerResponse) => void {
  let renderer: Promise<Renderer> | undefined
  return (req, res) => {
    const path = (req.url ?? '/').split('?')[0]
    const page = PAGES[path]
    if (page === undefined) return fail(res, 404, 'not_found', `The metrics exporter serves /v2, /v2/node, /metrics and /, not ${path.slice(0, 200)}.`)
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method_not_allowed', `${path} answers GET only.`, { allow: 'GET, HEAD' })
    const { store } = o
    if (!store.inCluster) return fail(res, 503, 'node_not_in_cluster', 'The node is not part of a cluster yet: it has no metrics.')
    if (page === 'v1' && store.master.uid !== o.nodeUid) {
      const master = o.urlOf?.(store.master.uid)
      if (master !== undefined) {
        res.writeHead(307, { location: `${master}${path}`, 'content-length': 0 })
        res.end()
        return
      }
    }
    renderer ??= import('./render.js')
    renderer.then(r => {
      store.settle()
      const body = r.render(page, { store, nodeUid: o.nodeUid, pem: pem(), live: o.live })
      res.writeHead(200, { 'content-type': CONTENT_TYPE, 'content-length': body.length })
      // the headers on their own, so the body is a write of its own: TLS encrypts it from the buffer
      // instead of first copying headers and body (3 MB at 100 databases) into one
      res.flushHeaders()
      res.end(req.method === 'HEAD' ? undefined : body)
    }).catch((e: Error) => fail(res, 500, 'internal_error', `The metrics could not be rendered: ${e.message}`))
  }
}

/** Listens on HOST:PORT (0: a free port) for node NODEUID. */
export async function startExporter (o: ExporterOptions, port: number, host: string): Promise<Exporter> {
  let pem = o.tls.cert
  // the API's request and response classes: one shape of each in the process (src/http/response.ts)
  const server: Server = createServer({ cert: o.tls.cert, key: o.tls.key, ...mockMessages }, exporterHandler(o, () => pem))
  // the api certificate set through the API is what the next handshake presents, as on 9443
  o.store.certificates.serve(o.tls, pair => { pem = pair.cert; server.setSecureContext(pair) })
  const listen = async (at: number): Promise<number> => await new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(at, host, () => {
      server.off('error', reject)
      const a = server.address()
      resolve(typeof a === 'object' && a !== null ? a.port : at)
    })
  })
  const stop = async (): Promise<void> => {
    if (!server.listening) return
    server.closeAllConnections()
    await new Promise<void>(resolve => server.close(() => resolve()))
  }
  const bound = await listen(port)
  const shown = host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host
  return {
    uid: o.nodeUid,
    url: `https://${shown}:${bound}`,
    port: bound,
    setUp: async up => {
      if (server.listening === up) return
      if (up) await listen(bound)
      else await stop()
    },
    close: stop
  }
}
