// The journal and fault hooks. They must see every request outside /_mock/ (RS routes,
// unknown routes, front-door refusals), so they are added to the root instance before
// the front door, and run first. Cheap per request: the journal keeps references and formats
// on read; fault rules are matched only while there are any. A request whose client went
// away before any answer keeps status and duration_ms null.
import { setTimeout as sleep } from 'node:timers/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../errors.js'
import type { MockControl } from './control.js'
import { claimedUser, type PendingEntry } from './journal.js'
import type { FaultRule } from './faults.js'

export { claimedUser } from './journal.js'

export const isControlPath = (url: string): boolean => url.startsWith('/_mock') && (url.length === 6 || url[6] === '/' || url[6] === '?')

declare module 'fastify' {
  interface FastifyRequest {
    /** this request's journal entry (null for /_mock/ requests or a journal of size 0) */
    journalEntry: PendingEntry | null
  }
}

type AuthedRequest = FastifyRequest & { user?: { user?: { email?: string } } | null }

export function controlHooks (app: FastifyInstance, control: MockControl): void {
  const hung = new Set<FastifyReply>()
  const closing = new AbortController()
  const { journal, faults } = control

  async function applyFault (rule: FaultRule, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const { action } = rule
    if (action.latency_ms !== undefined && action.latency_ms > 0 && !closing.signal.aborted) {
      await sleep(action.latency_ms, undefined, { signal: closing.signal }).catch(() => {})
    }
    if (action.status !== undefined) {
      throw new ApiError(action.status, action.error_code ?? 'injected_fault', action.description ?? `Fault injected by the mock (rule ${rule.id})`)
    }
    if (action.drop === true || action.hang === true) {
      reply.hijack()
      // Answered by no one: the entry keeps status null and closes with the connection.
      const gone = () => req.journalEntry?.close(null, (req as AuthedRequest).user?.user?.email, req.body)
      if (action.drop === true || closing.signal.aborted) {
        reply.raw.destroy()
        gone()
        return
      }
      hung.add(reply)
      reply.raw.once('close', () => { hung.delete(reply); gone() })
    }
  }

  app.decorateRequest('journalEntry', null)
  app.addHook('onRequest', (req, reply, done) => {
    if (isControlPath(req.url)) return done()
    const entry = journal.size > 0 ? journal.open(control.store.core.now(), performance.now(), req.method, req.url, req.headers) : null
    req.journalEntry = entry
    if (faults.size === 0) return done()
    const rule = faults.match(req.method, req.url.split('?')[0], claimedUser(req.headers.authorization))
    if (rule === undefined) return done()
    if (entry !== null) entry.fault = rule.id
    applyFault(rule, req, reply).then(() => done(), done)
  })
  // fastify already listens for the end of every response: no listener of our own per request.
  app.addHook('onResponse', (req, reply, done) => {
    req.journalEntry?.close(reply.statusCode, (req as AuthedRequest).user?.user?.email, req.body)
    done()
  })

  // A hung request must not hold close() up: its connection goes when the server closes.
  app.addHook('preClose', (done) => {
    closing.abort()
    for (const reply of hung) reply.raw.destroy()
    hung.clear()
    done()
  })
}
