// The class of every response the mock's HTTPS servers make, the API's and the exporter's alike.
// The API's pipeline writes the answer's head through it (pipeline.ts: the journal entry closes, the
// RS front-proxy headers are added); the exporter's answers pass through untouched. One class,
// with its fields from construction, gives every response one shape: Node's own HTTP and stream
// code, shared by both servers, stays monomorphic. Setting a property or an own writeHead on each
// response instead gave the API's responses a shape of their own, and after the first scrape of
// the exporter the API's list cost 14-55% more CPU per request (docs/performance.md).
import { IncomingMessage, ServerResponse } from 'node:http'

/** Writes the head of RES's answer (statusCode, reason?, headers?) after its own step. */
export type HeadStep = (res: ServerResponse, statusCode: number, reason?: unknown, obj?: unknown) => ServerResponse

export class MockResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {
  /** the step to run as the head is written, with what it needs; undefined: none (the exporter) */
  headStep: HeadStep | undefined = undefined
  /** what the step answers for (the API: the fastify request) */
  answering: unknown = undefined

  // Node's writeHead(statusCode, [reason], [headers]), through the step when there is one
  override writeHead (statusCode: number, reason?: unknown, obj?: unknown): this {
    const step = this.headStep
    if (step === undefined) return nodeWriteHead.call(this, statusCode, reason, obj) as this
    return step(this, statusCode, reason, obj) as this
  }
}

/** Node's own writeHead, which a HeadStep calls last */
export const nodeWriteHead = ServerResponse.prototype.writeHead as (this: ServerResponse, ...args: unknown[]) => ServerResponse

/**
 * The class of every request the mock's HTTPS servers take. fastify's rewriteUrl (HEAD routed as
 * GET, transport.ts) sets `originalUrl` on each of the API's requests; declared here, every
 * request of both servers has it from construction, and the set adds no shape of its own. Without
 * it, the exporter's requests were of another shape than the API's, and a scrape deoptimized
 * Node's Readable and IncomingMessage code the API's list runs through (docs/performance.md).
 */
export class MockRequest extends IncomingMessage {
  originalUrl: string | undefined = undefined
}

/** The node:https options that make a server's requests MockRequests and its responses MockResponses. */
export const mockMessages = { IncomingMessage: MockRequest, ServerResponse: MockResponse } as const
