# syntax=docker/dockerfile:1
# MFN Secure Service image: build in one stage, run from a clean one with production
# dependencies only, as uid/gid 1000, on a read-only root filesystem (only /tmp is written).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: full dependency tree, TypeScript compiled to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json nest-cli.json ./
COPY src ./src
# ReDoc's bundle (a development dependency) goes next to the module that serves it
# (src/docs/redoc.ts), so /redoc works in the image when docs are enabled.
RUN npm run build \
    && cp node_modules/redoc/bundles/redoc.standalone.js dist/docs/redoc.standalone.js

# ---- runtime ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    MFN_ENV=prod \
    HOST=0.0.0.0 \
    PORT=8000 \
    NPM_CONFIG_UPDATE_NOTIFIER=false \
    NPM_CONFIG_CACHE=/tmp/.npm
WORKDIR /app
# Dependencies and code stay owned by root: the service user can read them, never change them.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
    && npm cache clean --force \
    && rm -rf /tmp/.npm /root/.npm
COPY --from=build /app/dist ./dist

# The node image's "node" user is uid/gid 1000; numeric so Kubernetes can verify runAsNonRoot.
USER 1000:1000
EXPOSE 8000
STOPSIGNAL SIGTERM

# Liveness only (no curl in slim images): node itself asks /health on the local port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "require('http').get({host:'127.0.0.1',port:process.env.PORT||8000,path:'/health',timeout:4000},r=>process.exit(r.statusCode===200?0:1)).on('timeout',function(){this.destroy()}).on('error',()=>process.exit(1))"]

CMD ["node", "dist/main.js"]
