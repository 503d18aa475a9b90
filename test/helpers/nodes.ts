// A multi-node mock for tests: startMock({ nodes }) on free ports, and calls to one node's URL
// over real HTTPS with certificate verification on (the mock's certificate is the CA).
import type { Test } from 'tap'
import { request } from 'node:https'
import { startMock, type RunningMock, type MockOptions } from '../../src/index.js'

export interface NodeAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: any }

export async function startCluster (t: Test, nodes: number, options: MockOptions = {}): Promise<RunningMock> {
  const mock = await startMock({ nodes, ...options })
  t.teardown(() => mock.close())
  return mock
}

/** One HTTPS request, its body parsed when it is JSON. Without `ca`, any certificate is accepted. */
export function httpsJson (url: string, method: string, path: string,
  { body, auth, headers = {}, ca }: { body?: unknown, auth?: string, headers?: Record<string, string>, ca?: string } = {}): Promise<NodeAnswer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body)
    const req = request(`${url}${path}`, {
      method,
      ...(ca === undefined ? { rejectUnauthorized: false } : { ca }),
      ...(auth === undefined ? {} : { auth }),
      agent: false,
      headers: { ...(payload === undefined ? {} : { 'content-type': 'application/json' }), ...headers }
    }, res => {
      let text = ''
      res.on('data', (c: Buffer) => { text += c.toString() })
      res.on('end', () => {
        let parsed: unknown = text
        try { parsed = text === '' ? undefined : JSON.parse(text) } catch {}
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: parsed })
      })
    })
    req.on('error', reject)
    req.end(payload)
  })
}

/** A request to one node of MOCK, as its admin unless `auth` says otherwise, verifying its certificate. */
export function callNode (mock: RunningMock, url: string, method: string, path: string,
  { body, auth = `${mock.credentials.username}:${mock.credentials.password}`, headers = {} }: { body?: unknown, auth?: string, headers?: Record<string, string> } = {}): Promise<NodeAnswer> {
  return httpsJson(url, method, path, { body, auth, headers, ca: mock.ca })
}
