// The journal and faults on the request pipeline. They must see every request outside /_mock/
// (RS routes, unknown routes, front-door refusals), so pipeline.ts calls them from its root hooks,
// before the front door. Cheap per request: the journal copies the request's text into its ring
// and formats on read, and closes an entry when its answer is sent (no response listener of its
// own); fault rules are matched only while there are any. A request whose client went away before any answer
// keeps status and duration_ms null.
import { setTimeout as sleep } from 'node:timers/promises'
import { setMaxListeners } from 'node:events'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../base/errors.js'
import type { MockControl } from '../control/control.js'
import { claimedLogin } from '../base/authorization.js'
import type { FaultRule } from '../control/faults.js'
import { shared } from './plugin.js'
import { askedMethod } from './transport.js'

export const isControlPath = (url: string): boolean => url.startsWith('/_mock') && (url.length === 6 || url[6] === '/' || url[6] === '?')

declare module 'fastify' {
  interface FastifyRequest {
    /** this request's journal id (0 for /_mock/ requests or a journal of size 0) */
    journalEntry: number
  }
  interface FastifyInstance {
    observer: Observer
  }
}

type AuthedRequest = FastifyRequest & { user?: { user?: { email?: string } } | null }

/** The journal and faults as the request pipeline calls them. */
export interface Observer {
  /** A request arrives: opens its journal entry; resolves once a matching fault is applied. */
  arrive(req: FastifyRequest, reply: FastifyReply): Promise<void> | undefined
  /** Its answer (STATUS) is about to be sent, ELAPSED ms after arrival: the entry gets status, duration, user and body. */
  answer(req: FastifyRequest, status: number, elapsed: number): void
}

export const observer = shared<{ control: MockControl }>('observer', async function observer (app, { control }) {
  const hung = new Set<FastifyReply>()
  const closing = new AbortController()
  setMaxListeners(0, closing.signal) // one listener per request under a latency fault
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
      const gone = () => journal.close(req.journalEntry, null, (req as AuthedRequest).user?.user?.email, req.body, performance.now() - req.arrivedAt)
      if (action.drop === true || closing.signal.aborted) {
        reply.raw.destroy()
        gone()
        return
      }
      hung.add(reply)
      reply.raw.once('close', () => { hung.delete(reply); gone() })
    }
  }

  app.decorateRequest('journalEntry', 0)
  // A hung request must not hold close() up: its connection goes when the server closes.
  app.addHook('preClose', (done) => {
    closing.abort()
    for (const reply of hung) reply.raw.destroy()
    hung.clear()
    done()
  })

  app.decorate('observer', {
    arrive (req: FastifyRequest, reply: FastifyReply) {
      if (isControlPath(req.url)) return undefined
      const id = journal.size > 0 ? journal.open(control.store.now(), askedMethod(req), req.url, req.headers, req.raw.rawHeaders) : 0
      req.journalEntry = id
      if (faults.size === 0) return undefined
      const rule = faults.match(askedMethod(req), req.url.split('?')[0], claimedLogin(req.headers.authorization))
      if (rule === undefined) return undefined
      journal.fault(id, rule.id)
      return applyFault(rule, req, reply)
    },
    answer (req: FastifyRequest, status: number, elapsed: number) {
      if (req.journalEntry !== 0) journal.close(req.journalEntry, status, (req as AuthedRequest).user?.user?.email, req.body, elapsed)
    }
  } satisfies Observer)
})
