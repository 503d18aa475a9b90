// Shared by the two baseline servers: options, TLS material, and the canned responses (the mock's
// own bytes, captured by the harness) behind the same Basic check of one hard-coded credential.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'

export function loadBaseline () {
  const { values } = parseArgs({
    options: {
      'certs-dir': { type: 'string' },
      responses: { type: 'string' },
      port: { type: 'string', default: '0' },
      host: { type: 'string', default: '127.0.0.1' }
    }
  })
  const doc = JSON.parse(readFileSync(values.responses, 'utf8'))
  const canned = r => ({ status: r.status, headers: r.headers, body: Buffer.from(r.body, 'base64') })
  const routes = new Map(Object.entries(doc.routes).map(([url, r]) => [url, canned(r)]))
  return {
    tls: {
      cert: readFileSync(join(values['certs-dir'], 'cert.pem')),
      key: readFileSync(join(values['certs-dir'], 'key.pem'))
    },
    port: Number(values.port),
    host: values.host,
    authorization: 'Basic ' + Buffer.from(`${doc.user}:${doc.password}`).toString('base64'),
    routes,
    unauthorized: canned(doc.unauthorized),
    notFound: { status: 404, headers: { 'content-type': 'application/json' }, body: Buffer.from('{"error_code":"not_found","description":"Not found"}') }
  }
}

/** The response for a request: 401 bytes unless the credential matches, then the canned route. */
export function answer (b, url, authorization) {
  if (authorization !== b.authorization) return b.unauthorized
  return b.routes.get(url) ?? b.notFound
}

export const readyLine = (kind, port) => `${kind} ready on https://127.0.0.1:${port}\n`
