// Calls the mock makes to addresses a client named (a join's cluster.nodes, a CRDB's instances).
// Each is bounded from the first byte sent to the last received, and in the size of its answer;
// and every way of getting no answer reads alike, so the mock tells no one which ports are open.
import http from 'node:http'
import https from 'node:https'

/** connect, TLS, request and the whole answer, for one call */
export const OUTBOUND_DEADLINE_MS = 10_000
/** the largest answer read; a larger one is dropped unread */
export const MAX_OUTBOUND_ANSWER = 1 << 20
/** what every failure to get an answer says (refused, unreachable, TLS, too slow) */
export const NO_ANSWER = 'no answer over HTTPS (nothing answered, the TLS handshake failed, or it took too long)'

export interface OutboundCall {
  method: string
  headers: Record<string, string>
  body?: string
  /** PEM: verify the peer against it; without it the peer's certificate is not checked */
  ca?: string
  deadlineMs?: number
  maxAnswer?: number
}

export interface OutboundAnswer { status: number, body: Buffer }

export class OutboundFailure extends Error {}

/** One HTTP(S) call; resolves with the answer, rejects with an OutboundFailure. */
export async function callOut (url: URL, call: OutboundCall): Promise<OutboundAnswer> {
  const deadlineMs = call.deadlineMs ?? OUTBOUND_DEADLINE_MS
  const maxAnswer = call.maxAnswer ?? MAX_OUTBOUND_ANSWER
  const client = url.protocol === 'http:' ? http : https
  return await new Promise((resolve, reject) => {
    let settled = false
    const fail = (message: string): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      req.destroy()
      reject(new OutboundFailure(message))
    }
    const req = client.request(url, {
      method: call.method,
      headers: call.headers,
      agent: false,
      ...(call.ca === undefined ? { rejectUnauthorized: false } : { ca: call.ca })
    }, res => {
      if (Number(res.headers['content-length'] ?? 0) > maxAnswer) return fail(`the answer is larger than ${maxAnswer} bytes`)
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (c: Buffer) => {
        size += c.length
        if (size > maxAnswer) return fail(`the answer is larger than ${maxAnswer} bytes`)
        chunks.push(c)
      })
      res.on('error', () => fail(NO_ANSWER))
      res.on('end', () => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) })
      })
    })
    // A total deadline: an idle timeout alone lets a peer sending a byte now and then hold the call.
    const timer = setTimeout(() => fail(NO_ANSWER), deadlineMs)
    req.on('error', () => fail(NO_ANSWER))
    req.end(call.body)
  })
}
