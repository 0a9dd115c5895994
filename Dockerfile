# Penghubung hub image. The build runs the same install and checks as CI (.ci/run): npm ci, then
# lint and typecheck; the Kafka-backed test suite runs in CI, not in the image build. The image
# runs the compiled JavaScript (dist/, `npm run build`), as `npm start` does; the sources stay
# beside it for what is read at run time (manifests, flow definitions, dashboard files).
FROM node:20-bookworm-slim AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run lint && npm run typecheck && npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PENGHUBUNG_HTTP__HOST=0.0.0.0 \
    PENGHUBUNG_DATA_DIR=/var/lib/penghubung
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/src ./src
COPY --from=build --chown=root:root /app/schemas ./schemas
COPY --from=build --chown=root:root /app/config ./config
COPY --from=build --chown=root:root /app/connectors ./connectors
COPY --from=build --chown=root:root /app/flows ./flows
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/templates ./templates
COPY --from=build --chown=root:root /app/referensi ./referensi
# The sandbox seals webhook secrets with a key it makes beside the data directory, never in it.
RUN mkdir -p /var/lib/penghubung /var/lib/penghubung-keys && chown node:node /var/lib/penghubung /var/lib/penghubung-keys && chmod 700 /var/lib/penghubung /var/lib/penghubung-keys
USER node
VOLUME ["/var/lib/penghubung"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# node runs as PID 1: SIGTERM reaches the hub directly, which drains the outbox before exiting.
# The same node flags as `npm start` (package.json; test/build/start-flags.unit.test.ts): the old
# generation capped so V8 collects it before it grows to four times the hub's live heap, the
# young one at its full size from the start (no scavenges while it grows during the start).
CMD ["node", "--max-old-space-size=1024", "--min-semi-space-size=16", "dist/src/main.js"]
