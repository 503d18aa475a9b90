// Real sockets for the reliability tests: a server started the way the command starts it, raw
// bytes over TLS (for what no HTTP client will send), and a check of the RS error shape.
import type { Test } from 'tap'
import { connect, type TLSSocket } from 'node:tls'
import { join } from 'node:path'
import { Agent, request } from 'node:https'
import type { FastifyInstance } from 'fastify'
import { loadConfig, defaultFixturesDir, type Config } from '../../src/config.js'
import { startServer, type RunningServer } from '../../src/server.js'
import { buildApp, type AppOptions } from '../../src/app.js'
import { createStore, type Store, type StoreOptions } from '../../src/store/index.js'
import { loadSeed } from '../../src/fixtures.js'
import { loadTls } from '../../src/tls.js'

export const ADMIN_BASIC = 'Basic ' + Buffer.from('admin@redis.local:admin').toString('base64')

/** startServer with command-line flags, on 127.0.0.1 and a free port, closed at teardown. */
export async function startTestServer (t: Test, flags: string[] = []): Promise<RunningServer> {
  const certsDir = join(t.testdir(), 'certs')
  const config = loadConfig(['--port', '0', '--host', '127.0.0.1', '--certs-dir', certsDir, '--log-level', 'silent', ...flags], {}) as Config
  const server = await startServer(config)
  t.teardown(() => server.close())
  return server
}

export interface RawResponse { status: number, headers: Record<string, string>, body: string, raw: string }

export function tlsConnect (port: number): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost' }, () => resolve(socket))
    socket.once('error', reject)
  })
}

/** The first HTTP response in `raw` (content-length framed), or undefined when none is complete. */
export function parseResponse (raw: string): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine, ...lines] = raw.slice(0, end).split('\r\n')
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? 0)
  const body = raw.slice(end + 4, end + 4 + length)
  if (Buffer.byteLength(body) < length) return undefined
  return { status: Number(statusLine.split(' ')[1]), headers, body, raw }
}

/**
 * Writes `bytes` on a fresh TLS connection and resolves with the first response, when the server
 * closes, or after `timeoutMs` (status 0: no answer).
 */
export async function rawExchange (port: number, bytes: string | Buffer, timeoutMs = 5000): Promise<RawResponse> {
  const socket = await tlsConnect(port)
  return new Promise(resolve => {
    let raw = ''
    let done = false
    const finish = () => {
      if (done) return
      done = true
      clearTimeout(timer)
      socket.destroy()
      resolve(parseResponse(raw) ?? { status: 0, headers: {}, body: '', raw })
    }
    const timer = setTimeout(finish, timeoutMs)
    socket.setEncoding('latin1')
    socket.on('data', (chunk: string) => {
      raw += chunk
      if (parseResponse(raw) !== undefined) finish()
    })
    socket.on('close', finish)
    socket.on('error', finish)
    socket.write(bytes)
  })
}

/** A request with a body in the usual framing, for rawExchange. */
export function httpRequest (method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Buffer {
  const h: Record<string, string> = { host: 'localhost', connection: 'close', authorization: ADMIN_BASIC, ...headers }
  if (body !== undefined && h['content-length'] === undefined) h['content-length'] = String(Buffer.byteLength(body))
  if (body !== undefined && h['content-type'] === undefined) h['content-type'] = 'application/json'
  const head = `${method} ${path} HTTP/1.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`
  return Buffer.concat([Buffer.from(head, 'latin1'), body === undefined ? Buffer.alloc(0) : Buffer.from(body)])
}

/**
 * Why an answer is not a clean RS client error: undefined when it is a 4xx (or the allowed
 * status) with exactly {error_code, description} as strings, JSON content type, no stack trace.
 */
export function rsErrorProblem (status: number, contentType: string | undefined, body: string, allowed: (s: number) => boolean = s => s >= 400 && s < 500): string | undefined {
  if (!allowed(status)) return `status ${status}`
  if (!/^application\/json/.test(contentType ?? '')) return `content-type ${contentType ?? 'none'}`
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return `body is not JSON: ${body.slice(0, 80)}`
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return `body is not an object: ${body.slice(0, 80)}`
  const keys = Object.keys(parsed).sort().join(',')
  if (keys !== 'description,error_code') return `body keys ${keys}`
  const { error_code: code, description } = parsed as Record<string, unknown>
  if (typeof code !== 'string' || typeof description !== 'string' || code === '') return 'error_code/description not strings'
  if (/\n\s+at |node_modules|\.[jt]s:\d+|FST_|statusCode/.test(description)) return `internals in the description: ${description.slice(0, 80)}`
  return undefined
}

/** buildApp over HTTPS on 127.0.0.1:0 with a store the test controls (a fake clock, say). */
export async function listenTestApp (t: Test, options: StoreOptions & Omit<Partial<AppOptions>, 'store' | 'https'> = {}): Promise<{ app: FastifyInstance, store: Store, port: number }> {
  const tls = await loadTls({ certsDir: join(t.testdir(), 'certs'), certNames: [] })
  const store = createStore(loadSeed(defaultFixturesDir), options)
  const app = await buildApp({ ...options, store, https: { cert: tls.cert, key: tls.key } })
  await app.listen({ port: 0, host: '127.0.0.1' })
  t.teardown(() => app.close())
  return { app, store, port: (app.server.address() as { port: number }).port }
}

export interface HttpsAnswer { status: number, headers: Record<string, string | string[] | undefined>, body: string }

/** One HTTPS request; the path goes on the wire as given (no normalisation). */
export function httpsCall (port: number, method: string, path: string, options: { headers?: Record<string, string>, body?: string, agent?: Agent } = {}): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...options.headers }
    if (options.body !== undefined) headers['content-type'] ??= 'application/json'
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent: options.agent, rejectUnauthorized: false }, res => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/** The SHA-256 fingerprint of the certificate a fresh TLS handshake with the server presents. */
export function presented (port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? '')
      socket.end()
    })
    socket.on('error', reject)
  })
}
