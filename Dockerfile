# redis-enterprise-mock: the fake Redis Enterprise Software REST API on port 9443 (every IPv6 and IPv4 address),
# and its Prometheus metrics exporter on 8070.
#   docker build -t redis-enterprise-mock .
#   docker run --rm -p 9443:9443 -p 8070:8070 -v rs-mock-certs:/app/certs redis-enterprise-mock
#   flags after the image name reach the mock: docker run --rm redis-enterprise-mock --help
#   keep the state too: -v rs-mock-data:/app/data -e RS_MOCK_STATE_FILE=/app/data/state.json
# Build on Debian slim with the full toolchain; run on distroless (node, no shell, uid 65532).

# ---- build: compile src/ to dist/, the command bundled into dist/main.js --------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before the sources are here; the next RUN builds.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# Source maps and declarations serve no purpose in the image (it carries no src/).
RUN npm run build \
 && find dist \( -name '*.map' -o -name '*.d.ts' \) -delete \
 && mkdir -p /out/certs /out/data /out/compile-cache

# ---- deps: runtime node_modules only (cached until the lockfile changes) ---------------------
FROM node:22-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
# Then drop what no running server reads: each package's own tests, docs, benchmarks and
# examples (only directly beside a package.json), TypeScript sources and declarations, source
# maps and markdown. LICENSE files stay. This takes the runtime layer from ~14 MB to ~6 MB.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && find node_modules -depth -type d \( -name test -o -name tests -o -name __tests__ -o -name docs \
      -o -name doc -o -name example -o -name examples -o -name benchmark -o -name benchmarks \
      -o -name .github \) -exec sh -c 'for d; do [ -f "$d/../package.json" ] && rm -rf "$d"; done; true' sh {} + \
 && find node_modules -type f \( -name '*.ts' -o -name '*.mts' -o -name '*.cts' -o -name '*.map' \
      -o -iname '*.md' -o -iname '*.markdown' \) -delete

# ---- redis: the variant with Redis included, every database a real redis-server -------------
#   docker build --target redis -t redis-enterprise-mock:redis .
#   docker run --rm -p 9443:9443 -p 10000-10099:10000-10099 redis-enterprise-mock:redis --db-ports 10000-10099
# Debian slim (the servers need a shell for their watchdog, distroless has none) with Debian's
# redis-server; tini as PID 1 reaps what the servers leave. Not the default: the default image
# is the last stage below.
FROM node:22-bookworm-slim AS redis
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# The servers listen on every interface so `docker run -p` can publish database ports; the
# endpoints report 127.0.0.1.
ENV NODE_ENV=production \
    RS_MOCK_CERTS_DIR=/app/certs \
    RS_MOCK_PORT_FILE=/tmp/redis-enterprise-mock.port \
    RS_MOCK_METRICS_PORT=8070 \
    RS_MOCK_REDIS=auto \
    RS_MOCK_REDIS_HOST=0.0.0.0
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY fixtures ./fixtures
COPY --from=build /app/dist ./dist
COPY --from=build --chown=node:node /out/certs ./certs
COPY --from=build --chown=node:node /out/data ./data
USER node
EXPOSE 9443 8070
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["node", "dist/healthcheck.js"]
# As the default image: flags after the image name reach the mock.
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/cli.js"]
CMD []

# ---- runtime ---------------------------------------------------------------------------------
FROM gcr.io/distroless/nodejs22-debian12:nonroot
LABEL org.opencontainers.image.title="redis-enterprise-mock" \
      org.opencontainers.image.description="A fake of the Redis Enterprise Software cluster REST API (HTTPS, port 9443)" \
      org.opencontainers.image.licenses="MIT"
WORKDIR /app
# NODE_COMPILE_CACHE: cli.ts turns on Node's compile cache; it is filled at build time below, so
# a container starts from compiled code. A small young generation keeps the idle RSS down.
ENV NODE_ENV=production \
    RS_MOCK_CERTS_DIR=/app/certs \
    RS_MOCK_PORT_FILE=/tmp/redis-enterprise-mock.port \
    RS_MOCK_METRICS_PORT=8070 \
    NODE_COMPILE_CACHE=/app/compile-cache \
    NODE_OPTIONS=--max-semi-space-size=2
COPY package.json ./
COPY --from=deps /app/node_modules ./node_modules
COPY fixtures ./fixtures
COPY --from=build /app/dist ./dist
# The self-signed certificate is generated here on first start (key.pem mode 0600) and reused;
# mount a volume to keep it across containers. Everything else in /app is root-owned, read-only.
COPY --from=build --chown=65532:65532 /out/certs ./certs
# A writable home for --state-file (RS_MOCK_STATE_FILE=/app/data/state.json): a named volume
# mounted here starts with this directory's owner, so uid 65532 can write it.
COPY --from=build --chown=65532:65532 /out/data ./data
COPY --from=build --chown=65532:65532 /out/compile-cache ./compile-cache
VOLUME ["/app/certs"]
USER 65532:65532
# Loads every module the server starts with (--help exits before listening): the cache keeps their code.
RUN ["/nodejs/bin/node", "dist/cli.js", "--help"]
EXPOSE 9443 8070
# No shell or curl in distroless: node itself asks GET /_mock/health, on the port the server
# wrote to RS_MOCK_PORT_FILE (so `docker run IMAGE --port 9600` is checked on 9600).
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/nodejs/bin/node", "dist/healthcheck.js"]
# node is PID 1 and handles SIGTERM itself (graceful close). The command is the entrypoint and
# CMD is empty, so `docker run IMAGE --fresh-node` passes --fresh-node to the mock, not to node.
ENTRYPOINT ["/nodejs/bin/node", "dist/cli.js"]
CMD []
