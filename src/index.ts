// The library entry: `import { buildApp, createStore } from 'redis-enterprise-mock'`.
export { buildApp, type AppOptions } from './app.js'
export { createStore, Store, type StoreOptions, type Seed, type Clock } from './store/index.js'
export { loadSeed } from './fixtures.js'
export { loadConfig, defaultFixturesDir, type Config } from './config.js'
export { startServer, type RunningServer } from './server.js'
export { ApiError } from './errors.js'
