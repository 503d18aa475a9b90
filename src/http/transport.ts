// The HTTP limits (body, header size, request and keep-alive timeouts) and the answers to what
// Node and fastify refuse before any route runs: a malformed request, headers over the limit, a
// request that does not arrive in time, an undecodable URL. Each leaves as an RS error body
// (docs/decisions.md #2) instead of Node's empty 400/431 or fastify's {"statusCode", "error", "message"}.
import type { Socket } from 'node:net'
import { STATUS_CODES, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify'
import type { Log } from '../base/log.js'
import { mockMessages } from './response.js'
import {
  ApiError, badRequest, expectationFailed, headersTooLarge, invalidUrl, methodNotAllowed, requestTimeout, requestTooLarge, routeNotFound
} from '../base/errors.js'

export interface Limits {
  /** largest accepted request body in bytes */
  bodyLimit: number
  /** largest request line plus headers in bytes */
  maxHeaderSize: number
  /** ms a client has to send a whole request (headers and body); 0: no limit */
  requestTimeout: number
  /** ms an idle keep-alive connection stays open */
  keepAliveTimeout: number
  /** ms a client has to complete the TLS handshake */
  handshakeTimeout: number
  /** connections open at once (TLS handshakes included); more are closed at once */
  maxConnections: number
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  bodyLimit: 1024 * 1024,
  maxHeaderSize: 16 * 1024,
  requestTimeout: 30_000,
  keepAliveTimeout: 72_000,
  handshakeTimeout: 5_000,
  maxConnections: 1_000
})

/** The raw answer on a socket no fastify reply exists for; the connection closes after it. */
export function rawAnswer (error: ApiError): string {
  const body = JSON.stringify(error.toJSON())
  return `HTTP/1.1 ${error.statusCode} ${STATUS_CODES[error.statusCode] ?? ''}\r\n` +
    'content-type: application/json\r\n' +
    `content-length: ${Buffer.byteLength(body)}\r\n` +
    'server: envoy\r\n' +
    'connection: close\r\n\r\n' + body
}

const ANSWERING = Symbol('answering a client error')
type ErrorSocket = Socket & { _httpMessage?: ServerResponse | null, [ANSWERING]?: true }

/**
 * The refusal goes out after the answers to every request read whole before the bad one:
 * pipelined requests were applied, so their answers are owed. Node hands the socket to each
 * queued response in turn (`_httpMessage`), so waiting for each to finish reaches the last. A
 * request still arriving (a body cut short, a broken chunk) is the bad one itself: no waiting.
 */
function afterPendingAnswers (socket: ErrorSocket, then: (current: ServerResponse | undefined) => void): void {
  const res = socket._httpMessage ?? undefined
  if (res === undefined || res.writableFinished || socket.destroyed || res.req?.complete !== true) return then(res)
  const next = (): void => {
    res.off('close', next)
    res.off('finish', next)
    afterPendingAnswers(socket, then)
  }
  res.once('finish', next)
  res.once('close', next)
}

function clientErrorHandler (limits: Limits, log: Log) {
  return function (err: NodeJS.ErrnoException, socket: ErrorSocket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed || socket[ANSWERING] === true) return
    // Node's parser may report the same broken stream again as more bytes arrive.
    socket[ANSWERING] = true
    const error = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? requestTimeout(limits.requestTimeout)
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? headersTooLarge(limits.maxHeaderSize)
        : badRequest(`Malformed HTTP request: ${(err as { reason?: string }).reason ?? err.message}`)
    log.debug({ err }, 'client error')
    afterPendingAnswers(socket, res => {
      // As Node does: never write into the middle of a response already under way.
      if (socket.writable && (res === undefined || res.writableFinished || !res.headersSent)) socket.write(rawAnswer(error))
      socket.destroy(err)
    })
  }
}

/**
 * What Node answers on its own, as RS error bodies: CONNECT (Node closes the socket without a
 * word when nobody listens for it) and an Expect other than 100-continue (Node's empty 417).
 */
export function edgeAnswers (server: Server): void {
  server.on('connect', (req: IncomingMessage, socket: Duplex) => {
    socket.on('error', () => {})
    socket.end(rawAnswer(methodNotAllowed('CONNECT', req.url ?? '/')))
  })
  server.on('checkExpectation', (req: IncomingMessage, res: ServerResponse) => {
    const body = JSON.stringify(expectationFailed(String(req.headers.expect)).toJSON())
    res.writeHead(417, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), server: 'envoy', connection: 'close' }).end(body)
  })
}

const ASKED_HEAD = Symbol('asked HEAD')

/**
 * HEAD is answered as the GET of the same path, without the body. Node decides that the response
 * of a HEAD request has no body when the request arrives (and light-my-request does the same),
 * so the request can be routed as a GET: one route per GET instead of fastify's HEAD twin of
 * each of the ~190 GET routes, which cost memory and start-up time (docs/performance.md).
 * Used as fastify's `rewriteUrl`; the URL itself is not changed.
 */
export function headAsGet (req: IncomingMessage): string {
  if (req.method === 'HEAD') {
    req.method = 'GET';
    (req as IncomingMessage & { [ASKED_HEAD]?: true })[ASKED_HEAD] = true
  }
  return req.url as string
}

/** The method the client sent: HEAD for a HEAD request routed as GET. */
export const askedMethod = (req: FastifyRequest): string =>
  (req.raw as IncomingMessage & { [ASKED_HEAD]?: true })[ASKED_HEAD] === true ? 'HEAD' : req.method

const close = (error: ApiError): ApiError => new ApiError(error.statusCode, error.code, error.message, { ...error.headers, connection: 'close' })

/**
 * Refusals at arrival that must close the connection: a body announced over the limit (refused
 * before a byte of it is read, on routes that take no body too) and a Transfer-Encoding other
 * than chunked (its framing is unknown: what follows could be a body or the next request).
 */
export function refuseAtArrival (req: FastifyRequest, bodyLimit: number): void {
  const te = req.headers['transfer-encoding']
  if (te !== undefined && !/(^|,)\s*chunked\s*$/i.test(te)) {
    throw close(badRequest(`Transfer-Encoding: ${te.slice(0, 100)} is not supported; send Content-Length or chunked`))
  }
  const length = req.headers['content-length']
  if (length !== undefined && Number(length) > bodyLimit) throw close(requestTooLarge(bodyLimit))
}

// Errors fastify's router raises before a route is chosen; they bypass the error handler.
function frameworkErrors (error: FastifyError, req: FastifyRequest, reply: FastifyReply): void {
  const path = req.url.split('?')[0]
  // A path parameter over 100 characters names no object: the route does not exist.
  const apiError = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? routeNotFound(askedMethod(req), path) : invalidUrl(path)
  void reply.code(apiError.statusCode).header('server', 'envoy').type('application/json').send(apiError.toJSON())
}

/** The fastify and Node server options that enforce `limits`, over HTTPS when a PEM pair is given. */
export function transportOptions (limits: Limits, log: Log, https?: { cert: string, key: string }): FastifyServerOptions & Record<string, unknown> {
  const timeout = limits.requestTimeout
  const node = {
    maxHeaderSize: limits.maxHeaderSize,
    // Node checks the request timeouts on this period (default 30 s): keep it well under the timeout.
    ...(timeout > 0 ? { headersTimeout: timeout, connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(timeout / 4))) } : {}),
    // A Host-less HTTP/1.1 request gets an RS error from the front door, not Node's empty 400.
    requireHostHeader: false
  }
  return {
    ...(https !== undefined ? { https: { ...https, allowHTTP1: true, handshakeTimeout: limits.handshakeTimeout, ...node, ...mockMessages } } : { http: { ...node, ...mockMessages } }),
    bodyLimit: limits.bodyLimit,
    requestTimeout: timeout,
    keepAliveTimeout: limits.keepAliveTimeout,
    clientErrorHandler: clientErrorHandler(limits, log),
    frameworkErrors,
    exposeHeadRoutes: false,
    rewriteUrl: headAsGet,
    // errors.ts answers requests that arrive while closing with an RS 503 instead.
    return503OnClosing: false
  }
}
