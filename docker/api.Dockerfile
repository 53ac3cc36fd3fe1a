# Backend image: one image for the api and worker roles (APP_ROLE), plus the built dashboard for `all`.
# Build from the repository root: docker build -f docker/api.Dockerfile -t signal-scanner-api .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json nx.json tsconfig.base.json .npmrc ./
COPY backend/api/package.json backend/api/
COPY backend/libs/contracts/package.json backend/libs/contracts/
COPY backend/libs/signal-core/package.json backend/libs/signal-core/
COPY backend/exchange-sim/package.json backend/exchange-sim/
COPY frontend/package.json frontend/
RUN npm install --no-audit --no-fund
COPY backend backend
COPY frontend frontend
RUN NX_DAEMON=false npx nx run-many -t build --projects=@scanner/contracts,@scanner/signal-core,@scanner/api,@scanner/dashboard \
 && npm prune --omit=dev --workspace @scanner/api --include-workspace-root=false

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production PORT=3000 DATA_DIR=/data DASHBOARD_DIR=/app/frontend/dist/browser
WORKDIR /app
COPY --from=build --chown=node:node /src/node_modules node_modules
COPY --from=build --chown=node:node /src/package.json package.json
COPY --from=build --chown=node:node /src/backend/libs/contracts/package.json backend/libs/contracts/package.json
COPY --from=build --chown=node:node /src/backend/libs/contracts/dist backend/libs/contracts/dist
COPY --from=build --chown=node:node /src/backend/libs/signal-core/package.json backend/libs/signal-core/package.json
COPY --from=build --chown=node:node /src/backend/libs/signal-core/dist backend/libs/signal-core/dist
COPY --from=build --chown=node:node /src/backend/api/package.json backend/api/package.json
COPY --from=build --chown=node:node /src/backend/api/dist backend/api/dist
COPY --from=build --chown=node:node /src/frontend/dist/browser frontend/dist/browser
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 CMD ["node", "backend/api/dist/healthcheck.js"]
CMD ["node", "backend/api/dist/main.js"]
