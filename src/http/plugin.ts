// fastify-plugin's convention without the package: a plugin marked skip-override decorates and
// hooks the instance it is registered on instead of a child scope of its own.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify'

export function shared<Options extends object> (name: string, plugin: FastifyPluginAsync<Options>): FastifyPluginAsync<Options> {
  return Object.assign(plugin, { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: name })
}

/** One synchronous step of the request pipeline: returns to let the request on, throws an ApiError to refuse it. */
export type Step = (req: FastifyRequest) => void
