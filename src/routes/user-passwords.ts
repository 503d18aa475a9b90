// /v1/users/password: any user on its own passwords, an admin on anyone's (the store checks which).
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { Store, UserRecord } from '../store/index.js'
import type { HashingAlgorithm, PasswordChange } from '../store/access/index.js'
import { hashingAlgorithmSchema, passwordAddSchema, passwordDeleteSchema } from '../schemas/user-password.js'

type Change = { Body: PasswordChange }

export default async function userPasswordRoutes (app: FastifyInstance, { store }: { store: Store }): Promise<void> {
  const me = (req: FastifyRequest) => req.user as UserRecord
  // Documented as answering with the status only: an empty 200.
  const authenticated = { access: 'authenticated' } as const

  app.put<Change>('/v1/users/password', { config: authenticated, schema: { body: passwordAddSchema } },
    async (req, reply) => { store.passwords.replace(me(req), req.body); return reply.send() })

  app.post<Change>('/v1/users/password', { config: authenticated, schema: { body: passwordAddSchema } },
    async (req, reply) => { store.passwords.add(me(req), req.body); return reply.send() })

  app.delete<Change>('/v1/users/password', { config: authenticated, schema: { body: passwordDeleteSchema } },
    async (req, reply) => { store.passwords.remove(me(req), req.body); return reply.send() })

  app.patch<{ Body: { algorithm: HashingAlgorithm } }>('/v1/cluster/change_password_hashing_algorithm',
    { config: { permission: 'update_cluster' }, schema: { body: hashingAlgorithmSchema } },
    async (req, reply) => { store.passwords.changeHashingAlgorithm(req.body.algorithm); return reply.send() })
}
