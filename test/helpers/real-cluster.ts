// The address of a real RS cluster the marked tests can run against (test/real/): read from
// the environment, so `npm test` needs none. RS_TEST_URL (https://host:9443), RS_TEST_USER,
// RS_TEST_PASSWORD; RS_TEST_CA names a CA file to trust, RS_TEST_INSECURE=1 skips the
// certificate check (a cluster's own certificate is self-signed).
import { readFileSync } from 'node:fs'
import { Agent, request } from 'node:https'
import type { Send } from '../examples/run.js'

export interface ClusterTarget {
  url: string
  user: string
  send: Send
  /** Sends as another login (a wrong password, say). */
  sendAs: (user: string, password: string) => Send
  close: () => void
}

export type Env = Record<string, string | undefined>

/** What is wrong with the settings, or undefined when they are complete. */
export function targetProblem (env: Env = process.env): string | undefined {
  const url = env.RS_TEST_URL
  if (url === undefined || url === '') return 'RS_TEST_URL is not set: no real cluster to test'
  if (!/^https:\/\/[^/]+$/.test(url.replace(/\/$/, ''))) return `RS_TEST_URL must be https://host:port, not ${url}`
  if ((env.RS_TEST_USER ?? '') === '' || (env.RS_TEST_PASSWORD ?? '') === '') return 'RS_TEST_USER and RS_TEST_PASSWORD must be set with RS_TEST_URL'
  return undefined
}

/** The cluster the environment names, or undefined when RS_TEST_URL is unset (the marked tests skip). */
export function realClusterTarget (env: Env = process.env): ClusterTarget | undefined {
  if ((env.RS_TEST_URL ?? '') === '') return undefined
  const problem = targetProblem(env)
  if (problem !== undefined) throw new Error(problem)
  const url = env.RS_TEST_URL!.replace(/\/$/, '')
  const insecure = /^(1|true|yes)$/i.test(env.RS_TEST_INSECURE ?? '')
  const ca = (env.RS_TEST_CA ?? '') === '' ? undefined : readFileSync(env.RS_TEST_CA!, 'utf8')
  // One keep-alive connection pool, as a client library would use.
  const agent = new Agent({ keepAlive: true, maxSockets: 4, rejectUnauthorized: !insecure, ...(ca === undefined ? {} : { ca }) })
  const sendAs = (user: string, password: string): Send => (method, path, { headers, body }) => new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const h: Record<string, string> = { accept: 'application/json', ...headers }
    if (h.authorization === undefined) h.authorization = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64')
    if (payload !== undefined) { h['content-type'] ??= 'application/json'; h['content-length'] = String(Buffer.byteLength(payload)) }
    const req = request(url + path, { method, agent, headers: h, timeout: 30_000 }, res => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { text += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text }))
      res.on('error', reject)
    })
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in 30 s`)))
    req.on('error', reject)
    req.end(payload)
  })
  return { url, user: env.RS_TEST_USER!, send: sendAs(env.RS_TEST_USER!, env.RS_TEST_PASSWORD!), sendAs, close: () => agent.destroy() }
}
