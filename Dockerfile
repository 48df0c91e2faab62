# syntax=docker/dockerfile:1
# Cluster Crew's image: the game server compiled to JavaScript and the built client, run by plain
# node as a non-root user, configured by environment variables only (server/config.ts; README,
# Configuration). `docker build -t cluster-crew .`, then
# `docker run -p 2567:2567 -p 2568:2568 cluster-crew` and open http://localhost:2567.
# test/deploy/image.test.ts runs these same steps on a fresh clone (no container engine there).

# ---- build: every dependency, the client built with Vite, the server compiled with tsc ----------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- run: production dependencies, the compiled server and the built client (dist/) -------------
FROM node:22-bookworm-slim
ENV NODE_ENV=production PORT=2567 KUBE_API_PORT=2568
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The node image's own unprivileged user (uid 1000); the server writes nothing to disk.
USER node
# The game (HTTP and WebSocket) and the rooms' Kubernetes API over HTTPS, for kubectl.
EXPOSE 2567 2568
# /healthz: 200 while the store (Redis) and the room directory answer, 503 during an outage.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 CMD ["node", "dist/server/ops/healthcheck.js"]
# SIGTERM saves every room and exits within 8 s: leave docker stop its default 10 s.
CMD ["node", "dist/server/index.js"]
