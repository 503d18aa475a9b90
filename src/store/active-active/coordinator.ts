// The Active-Active coordinator's link to the other clusters: each request of a CRDB task goes
// to the peer's own REST API over HTTPS (HTTP for an http:// URL) with the instance's credentials
// and the COORDINATOR_HEADER, which makes the peer apply the change locally instead of
// coordinating it again. The peers' certificates are not verified: mocks make their own (docs/decisions.md #36).
import http from 'node:http'
import https from 'node:https'
import type { PeerOutcome, PeerRequest, PeerTransport } from './crdb-model.js'

/** Names the calling cluster; a request carrying it is a coordinator's, applied locally only. */
export const COORDINATOR_HEADER = 'x-crdb-coordinator'

const MAX_ANSWER = 1 << 20

/** The default transport; `timeoutMs` bounds each request (connect to last byte). */
export const httpsPeers = (timeoutMs = 10_000): PeerTransport =>
  async requests => await Promise.all(requests.map(r => send(r, timeoutMs)))

function send (r: PeerRequest, timeoutMs: number): Promise<PeerOutcome> {
  const where = `cluster '${r.cluster.name}' at ${r.cluster.url}`
  const unreachable = (why: string): PeerOutcome =>
    ({ ok: false, error_code: 'cluster_unreachable', description: `Could not reach ${where}: ${why}` })
  let url: URL
  try {
    url = new URL(r.path, r.cluster.url)
  } catch {
    return Promise.resolve(unreachable('the URL is not valid'))
  }
  const body = r.body === undefined ? undefined : JSON.stringify(r.body)
  const headers: Record<string, string> = { accept: 'application/json', [COORDINATOR_HEADER]: r.origin }
  const login = r.cluster.credentials
  if (login !== undefined) headers.authorization = 'Basic ' + Buffer.from(`${login.username}:${login.password}`).toString('base64')
  if (body !== undefined) {
    headers['content-type'] = 'application/json'
    headers['content-length'] = String(Buffer.byteLength(body))
  }
  const client = url.protocol === 'http:' ? http : https
  return new Promise(resolve => {
    const req = client.request(url, { method: r.method, headers, rejectUnauthorized: false, agent: false, timeout: timeoutMs }, res => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size <= MAX_ANSWER) chunks.push(c)
      })
      res.on('error', e => resolve(unreachable(e.message)))
      res.on('end', () => {
        const status = res.statusCode ?? 0
        if (status >= 200 && status < 300) return resolve({ ok: true })
        let answer: { error_code?: unknown, description?: unknown } = {}
        try { answer = JSON.parse(Buffer.concat(chunks).toString('utf8')) } catch {}
        resolve({
          ok: false,
          error_code: typeof answer.error_code === 'string' ? answer.error_code : `http_${status}`,
          description: `${where} answered ${status}: ${typeof answer.description === 'string' ? answer.description : 'no RS error body'}`
        })
      })
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', e => resolve(unreachable(e.message)))
    req.end(body)
  })
}
