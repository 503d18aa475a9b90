// The login of the /_mock/ test-control API (routes with `access: 'control'`), beside the RS
// front door and through the same Authorization parser: the control token (x-mock-control-token
// or `Authorization: Bearer <token>`), else an admin's Basic login (the front door's basicLogin).
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Store } from '../store/index.js'
import { insufficientPermissions, unauthorized } from '../base/errors.js'
import { malformedAuthorization, parseAuthorization } from '../base/authorization.js'
import { shared, type Step } from './plugin.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** Throws its refusal; returns the step still due after a Basic login the verified-header
     *  cache does not know (the pipeline completes it through frontDoor.basicLogin). */
    controlLogin(req: FastifyRequest): Step | undefined
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

export const controlLogin = shared<{ store: Store, token?: string }>('control-login', async function controlLogin (app, { store, token }) {
  const adminOnly: Step = req => {
    if (store.access.managementRole(req.user!) !== 'admin') throw insufficientPermissions('mock_control')
  }
  app.decorate('controlLogin', function (req: FastifyRequest): Step | undefined {
    const header = req.headers.authorization
    const auth = header === undefined ? undefined : parseAuthorization(header)
    const offered = req.headers['x-mock-control-token'] ?? (auth?.scheme === 'token' && auth.kind === 'bearer' ? auth.token : undefined)
    if (offered !== undefined) {
      if (typeof offered === 'string' && token !== undefined && sameSecret(offered, token)) return undefined
      // the master of a cluster this process joined, telling it that it was removed (docs/decisions.md #52)
      const member = store.master.member
      if (typeof offered === 'string' && member !== undefined && sameSecret(offered, member.token)) return undefined
      throw unauthorized('Wrong control token')
    }
    if (auth?.scheme !== 'basic') throw malformedAuthorization()
    const known = store.access.verifiedUser(header!)
    if (known === undefined) return adminOnly
    req.user = known
    adminOnly(req)
    return undefined
  })
})
