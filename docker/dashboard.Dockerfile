# Dashboard image: the Angular build on nginx (non-root), proxying /api and /socket.io to the api service.
# Build from the repository root: docker build -f docker/dashboard.Dockerfile -t signal-scanner-dashboard .
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json nx.json tsconfig.base.json .npmrc ./
COPY backend/libs/contracts backend/libs/contracts
COPY backend/api/package.json backend/api/
COPY backend/libs/signal-core/package.json backend/libs/signal-core/
COPY backend/exchange-sim/package.json backend/exchange-sim/
COPY frontend frontend
RUN npm install --no-audit --no-fund && cd frontend && npx ng build

FROM nginxinc/nginx-unprivileged:1.27-alpine AS runtime
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/frontend/dist/browser /usr/share/nginx/html
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=5s --retries=3 CMD wget -qO- http://127.0.0.1:8080/healthz || exit 1
