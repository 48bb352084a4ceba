# Image for the Clawdbot edge gateway (Fly.io, or any container host).
# Multi-arch: only official node images and pure-JS dependencies, so the same file builds on amd64 and arm64.
# No HEALTHCHECK: Fly runs its own checks against GET /health (see fly.toml).

# ---- build: bundle the server (and the embedded Control UI) into dist/ ----
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json vite.config.ts rolldown.config.ts ./
COPY src ./src
RUN npm run build

# ---- runtime: Node and the bundle, nothing else ----
# dist/ is self-contained (rolldown.config.ts bundles every dependency), so no npm install and no node_modules.
FROM node:24-bookworm-slim
# The heap flags and malloc setting are the ones fly.toml sets (the deploy tests keep the two equal); see fly.toml.
ENV NODE_ENV=production \
    CLAWDBOT_STATE_DIR=/data \
    NODE_OPTIONS="--max-old-space-size=96 --max-semi-space-size=2" \
    MALLOC_ARENA_MAX=2
WORKDIR /app
COPY --from=build /app/dist ./dist
# /data is the state dir and the volume mount point. A fresh Fly volume is root-owned, so the entrypoint starts as
# root only to hand /data to `node`, then drops to `node` before node starts (setpriv is in Debian's util-linux).
# The app files stay root-owned: the running process cannot modify its own code.
COPY src/runtime/node/container-entrypoint.sh /usr/local/bin/container-entrypoint
RUN mkdir -p /data && chown node:node /data
EXPOSE 3000
ENTRYPOINT ["/usr/local/bin/container-entrypoint"]
# Exec form (no shell in between): the kill signal reaches node itself, which drains and exits 0.
CMD ["node", "dist/index.js", "gateway", "--allow-unconfigured", "--port", "3000", "--bind", "lan"]
