// Test control of what the mock cannot ask a real server: the LDAP directory (which logins and
// passwords it accepts, and their groups) and the OCSP responder (its URL and its answer).
// Access 'control': the control token or an admin login, like the rest of /_mock/.
import type { FastifyInstance } from 'fastify'
import type { Store } from '../store/index.js'
import type { DirectoryInput } from '../store/access/index.js'
import type { OcspResponder } from '../store/settings/index.js'
import { arr, obj, str, strEnum, isoTime } from '../schemas/index.js'

const directoryUserSchema = obj({ password: str({ minLength: 1 }), groups: arr(str({ minLength: 1 })), email: str() }, ['password', 'groups'])
const responderSchema = obj({
  responder_url: str({ pattern: '^https?://\\S+$' }),
  cert_status: strEnum('GOOD', 'REVOKED', 'UNKNOWN'),
  revocation_time: isoTime()
}, ['cert_status'])

type Login = { Params: { login: string } }

export default async function securityControl (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const open = { access: 'control' as const }

  app.get('/_mock/ldap/users', { config: open }, async () => store.ldap.directory())
  app.put<Login & { Body: DirectoryInput }>('/_mock/ldap/users/:login', { config: open, schema: { body: directoryUserSchema } },
    async req => store.ldap.setDirectoryUser(req.params.login, req.body))
  app.delete<Login>('/_mock/ldap/users/:login', { config: open }, async (req, reply) => {
    store.ldap.removeDirectoryUser(req.params.login)
    return reply.send()
  })

  app.get('/_mock/ocsp', { config: open }, async () => store.ocsp.responder())
  app.put<{ Body: OcspResponder }>('/_mock/ocsp', { config: open, schema: { body: responderSchema } }, async req => {
    store.ocsp.setResponder(req.body)
    return store.ocsp.responder()
  })
}
