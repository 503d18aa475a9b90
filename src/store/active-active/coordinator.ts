// The Active-Active coordinator's link to the other clusters: each request of a CRDB task goes
// to the peer's own REST API over HTTPS (HTTP for an http:// URL) with the instance's credentials
// and the COORDINATOR_HEADER, which makes the peer apply the change locally instead of
// coordinating it again. The peers' certificates are not verified: mocks make their own (docs/decisions.md #36).
import { callOut, OutboundFailure } from '../../base/outbound.js'
import type { PeerOutcome, PeerRequest, PeerTransport } from './crdb-model.js'

/** Names the calling cluster; a request carrying it is a coordinator's, applied locally only. */
export const COORDINATOR_HEADER = 'x-crdb-coordinator'

/** The default transport; `timeoutMs` bounds each request (connect to last byte), and they run at once. */
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
  return callOut(url, { method: r.method, headers, ...(body === undefined ? {} : { body }), deadlineMs: timeoutMs }).then(res => {
    const status = res.status
    if (status >= 200 && status < 300) return { ok: true }
    let answer: { error_code?: unknown, description?: unknown } = {}
    try { answer = JSON.parse(res.body.toString('utf8')) } catch {}
    return {
      ok: false,
      error_code: typeof answer.error_code === 'string' ? answer.error_code : `http_${status}`,
      description: `${where} answered ${status}: ${typeof answer.description === 'string' ? answer.description : 'no RS error body'}`
    }
  }, (e: Error) => unreachable(e instanceof OutboundFailure ? e.message : 'the call failed'))
}
