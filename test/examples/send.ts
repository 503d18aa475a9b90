// Where examples go: the mock in-process, a mock over HTTPS, or a real cluster (its own module, so
// that the adaptations and the runner both take it without importing each other).
export interface Answer { status: number, contentType: string, body: string }
export type Send = (method: string, path: string, options: { headers: Record<string, string>, body?: unknown }) => Promise<Answer>
