// Requests that arrive once close() began (on kept-alive connections) get an RS 503; fastify
// adds Connection: close, so the client reconnects elsewhere (transport.ts turns its own 503 off).
// Requests in flight when close() began finish normally, then their connection closes instead
// of idling for the keep-alive timeout (which would hold close() up). pipeline.ts reads the gate.
import { shared } from './plugin.js'

declare module 'fastify' {
  interface FastifyInstance {
    shutdownGate: ShutdownGate
  }
}

export interface ShutdownGate {
  /** close() began: new requests get an RS 503, answers close their connection */
  readonly closing: boolean
}

export const shutdownGate = shared('shutdown-gate', async function shutdownGate (app) {
  const gate = { closing: false }
  app.addHook('preClose', done => { gate.closing = true; done() })
  app.decorate('shutdownGate', gate)
})
