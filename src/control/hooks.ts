// The journal and fault hooks. They must see every request outside /_mock/ (RS routes,
// unknown routes, front-door refusals), so they are added to the root instance before
// the front door, and run first.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import { ApiError } from '../errors.js'
import type { MockControl } from './control.js'
import { journalBody, redactHeaders, type JournalEntry } from './journal.js'

export const isControlPath = (url: string): boolean => url === '/_mock' || url.startsWith('/_mock/') || url.startsWith('/_mock?')

/** The login a Basic Authorization header names, whether or not its password is right. */
export function claimedUser (authorization: string | undefined): string | null {
  const m = /^Basic\s+(\S+)/i.exec(authorization ?? '')
  if (m === null) return null
  const text = Buffer.from(m[1], 'base64').toString('utf8')
  const colon = text.indexOf(':')
  return colon < 0 ? null : text.slice(0, colon)
}

export function controlHooks (app: FastifyInstance, control: MockControl): void {
  const entries = new WeakMap<IncomingMessage, JournalEntry>()
  const hung = new Set<FastifyReply>()
  const closing = new AbortController()

  app.addHook('onRequest', (req, reply, done) => {
    if (isControlPath(req.url)) return done()
    const started = performance.now()
    const claimed = claimedUser(req.headers.authorization)
    const entry = control.journal.add({
      time: new Date(control.store.core.now()).toISOString(),
      method: req.method,
      url: req.url,
      path: req.url.split('?')[0],
      status: null,
      duration_ms: null,
      user: claimed,
      headers: redactHeaders(req.headers)
    })
    entries.set(req.raw, entry)
    let settled = false
    const settle = (status: number | null) => {
      if (settled) return
      settled = true
      entry.status = status
      entry.duration_ms = Math.round((performance.now() - started) * 1000) / 1000
      entry.user = (req as FastifyRequest & { user?: { user?: { email?: string } } | null }).user?.user?.email ?? claimed
      const body = journalBody(req.body)
      if (body !== undefined) entry.body = body
    }
    // 'finish': answered; 'close' without it: the connection went first (drop, hang, client gone).
    reply.raw.once('finish', () => settle(reply.raw.statusCode))
    reply.raw.once('close', () => settle(null))
    done()
  })

  app.addHook('onRequest', async (req, reply) => {
    if (isControlPath(req.url)) return
    const rule = control.faults.match(req.method, req.url.split('?')[0], claimedUser(req.headers.authorization))
    if (rule === undefined) return
    const entry = entries.get(req.raw)
    if (entry !== undefined) entry.fault = rule.id
    const { action } = rule
    if (action.latency_ms !== undefined && action.latency_ms > 0 && !closing.signal.aborted) {
      await sleep(action.latency_ms, undefined, { signal: closing.signal }).catch(() => {})
    }
    if (action.status !== undefined) {
      throw new ApiError(action.status, action.error_code ?? 'injected_fault', action.description ?? `Fault injected by the mock (rule ${rule.id})`)
    }
    if (action.drop === true || action.hang === true) {
      reply.hijack()
      if (action.drop === true || closing.signal.aborted) {
        reply.raw.destroy()
        return
      }
      hung.add(reply)
      reply.raw.once('close', () => hung.delete(reply))
    }
  })

  // A hung request must not hold close() up: its connection goes when the server closes.
  app.addHook('preClose', (done) => {
    closing.abort()
    for (const reply of hung) reply.raw.destroy()
    hung.clear()
    done()
  })
}
