// The listening server's connections: a cap on how many are open (each pre-TLS one used to be
// held ~120 s), and what closing does with them. On close, idle connections, connections still
// in their TLS handshake and requests only partly received are cut at once (a partly received
// request gets an RS 503 first); requests received whole are answered, then their connection closes.
import type { Server, Socket } from 'node:net'
import type { ServerResponse } from 'node:http'
import type { Log } from '../base/log.js'
import { rawAnswer } from './transport.js'
import { shuttingDown } from '../base/errors.js'
import { shared } from './plugin.js'

interface Tracked {
  readonly raw: Socket
  /** the socket HTTP runs on: the TLS socket once the handshake is done, else the raw one */
  http?: Socket
}

// Bytes of whole requests per socket, beside the socket rather than on it: a property added to
// the API's sockets would give them a shape the exporter's sockets do not have, and Node's own
// stream code, shared by both servers, would run polymorphic (docs/performance.md).
const wholeRequests = new WeakMap<Socket, number>()

/** Called as each answer leaves (pipeline.ts): the bytes read so far were whole requests. */
export function requestRead (socket: Socket | undefined): void {
  if (socket !== undefined) wholeRequests.set(socket, socket.bytesRead)
}

/** What close() cut, by kind. */
export interface CutConnections { idle: number, handshaking: number, partialRequests: number }

export interface ConnectionGuard {
  /** the connections open now */
  readonly open: number
  /** cuts what close() should not wait for; in-flight requests with a whole request stay */
  cut(): CutConnections
  /** cuts every connection left (after the grace period) and says how many */
  cutAll(): number
}

const DROP_LOG_EVERY_MS = 10_000

export function guardConnections (server: Server, tls: boolean, maxConnections: number, log: Log): ConnectionGuard {
  const tracked = new Map<Socket, Tracked>()
  server.maxConnections = maxConnections
  server.on('connection', (raw: Socket) => {
    tracked.set(raw, { raw, http: tls ? undefined : raw })
    raw.once('close', () => tracked.delete(raw))
  })
  if (tls) {
    server.on('secureConnection', (socket: Socket & { _parent?: Socket }) => {
      const entry = socket._parent === undefined ? undefined : tracked.get(socket._parent)
      if (entry !== undefined) entry.http = socket
    })
  }
  // Node closes a connection over the cap at once and emits 'drop': one line, then one per 10 s.
  let dropped = 0
  let lastLine = -Infinity
  server.on('drop', () => {
    dropped++
    const now = performance.now()
    if (now - lastLine < DROP_LOG_EVERY_MS) return
    lastLine = now
    log.warn({ max_connections: maxConnections, refused: dropped },
      `connection limit reached: ${maxConnections} connections are open (--max-connections); new ones are closed at once until some end`)
    dropped = 0
  })

  const answer503 = (socket: Socket): void => {
    if (socket.writable) socket.write(rawAnswer(shuttingDown()), () => socket.destroy())
    else socket.destroy()
  }
  return {
    get open () { return tracked.size },
    cut () {
      const counts: CutConnections = { idle: 0, handshaking: 0, partialRequests: 0 }
      for (const entry of tracked.values()) {
        const socket = entry.http
        if (entry.raw.destroyed) continue
        if (socket === undefined) {
          counts.handshaking++
          entry.raw.destroy()
          continue
        }
        const res = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
        if (res !== undefined && res !== null && !res.writableEnded) {
          if (res.req.complete) continue // answered as usual, then the connection closes (pipeline.ts)
          counts.partialRequests++ // its body is still arriving: it can never be answered in time
          if (res.headersSent) socket.destroy()
          else answer503(socket)
        } else if (socket.bytesRead > (wholeRequests.get(socket) ?? 0)) {
          counts.partialRequests++ // bytes after the last whole request: part of a request line or headers
          answer503(socket)
        } else {
          counts.idle++
          socket.destroy()
        }
      }
      return counts
    },
    cutAll () {
      let n = 0
      for (const entry of tracked.values()) {
        if (!entry.raw.destroyed) { n++; entry.raw.destroy(); entry.http?.destroy() }
      }
      return n
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** the open connections: their cap, and what closing cuts */
    mockConnections: ConnectionGuard
  }
}

/** The guard as a pipeline piece: on close, what close() need not wait for is cut at once, and
 *  said once the listener is closed (the first line may load pino, ~50 ms, which must not delay that). */
export const connectionGuard = shared<{ https: boolean, maxConnections: number, log: Log }>('connection-guard', async function connectionGuard (app, { https, maxConnections, log }) {
  const connections = guardConnections(app.server, https, maxConnections, log)
  app.decorate('mockConnections', connections)
  let cut: CutConnections | undefined
  app.addHook('preClose', done => { cut = connections.cut(); done() })
  app.addHook('onClose', (_app, done) => {
    if (cut !== undefined && cut.partialRequests + cut.handshaking + cut.idle > 0) {
      const described = `closing: cut ${cut.partialRequests} partly received requests (answered 503 shutting_down), ` +
        `${cut.handshaking} connections in their TLS handshake, ${cut.idle} idle connections`
      log[cut.partialRequests + cut.handshaking > 0 ? 'warn' : 'debug']({ ...cut }, described)
    }
    done()
  })
})
