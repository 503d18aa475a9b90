// At debug, one line per answered request: method, the path without its query, status, ms and the
// login name, never a password or a token. Installed only at debug: a hook costs every request a dispatch.
import type { Log } from '../base/log.js'
import { claimedLogin } from '../base/authorization.js'
import { shared } from './plugin.js'
import { askedMethod } from './transport.js'

export const requestLog = shared<{ log: Log }>('request-log', async function requestLog (app, { log }) {
  if (!log.enabled('debug')) return
  app.addHook('onResponse', (req, reply, done) => {
    log.debug({
      method: askedMethod(req),
      path: req.url.split('?')[0],
      status: reply.statusCode,
      ms: Math.round((performance.now() - req.arrivedAt) * 10) / 10,
      user: claimedLogin(req.headers.authorization) ?? undefined
    }, 'request')
    done()
  })
})
