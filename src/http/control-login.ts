// The login of the /_mock/ test-control API (routes with `access: 'control'`), beside the RS
// front door and through the same Authorization parser: the control token (x-mock-control-token
// or `Authorization: Bearer <token>`), else an admin's Basic login.
import { createHash, timingSafeEqual } from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import type { Store } from '../store/index.js'
import { insufficientPermissions, unauthorized } from '../base/errors.js'
import { parseAuthorization } from '../base/authorization.js'
import { shared } from './plugin.js'

declare module 'fastify' {
  interface FastifyInstance {
    controlLogin(req: FastifyRequest): void
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
const sameSecret = (a: string, b: string): boolean => timingSafeEqual(digest(a), digest(b))

export const controlLogin = shared<{ store: Store, token?: string }>('control-login', async function controlLogin (app, { store, token }) {
  app.decorate('controlLogin', function (req: FastifyRequest): void {
    const header = req.headers.authorization
    const auth = header === undefined ? undefined : parseAuthorization(header)
    const offered = req.headers['x-mock-control-token'] ?? (auth?.scheme === 'token' && auth.kind === 'bearer' ? auth.token : undefined)
    if (offered !== undefined) {
      if (token !== undefined && typeof offered === 'string' && sameSecret(offered, token)) return
      throw unauthorized('Wrong control token')
    }
    if (auth?.scheme !== 'basic') throw unauthorized('Missing or malformed Authorization header')
    req.user = store.access.login(header!)
    if (store.access.managementRole(req.user) !== 'admin') throw insufficientPermissions('mock_control')
  })
})
