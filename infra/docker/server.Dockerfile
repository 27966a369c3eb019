# syntax=docker/dockerfile:1
# iotgw-server container image. Build from the repository root:
#   docker build -f infra/docker/server.Dockerfile -t iotgw-server .
# (infra/compose.yaml does this.) See docs/server.md for configuration and what was exercised.

ARG NODE_VERSION=24

# --- build: install, compile, then `pnpm deploy` the server with its production dependencies only ---
FROM node:${NODE_VERSION}-slim AS build
ENV CI=true
RUN npm install --global pnpm@10
WORKDIR /src
# The store is filled from the lockfile alone, so this layer is reused until the lockfile changes.
COPY pnpm-lock.yaml pnpm-workspace.yaml ./
RUN pnpm fetch
COPY . .
# The server, its workspace dependencies and the root (turbo, typescript); not the edge's native modules.
RUN pnpm install --offline --frozen-lockfile --filter "@iotgw/server..." --filter iotgw \
 && pnpm exec turbo run build --filter=@iotgw/server --output-logs=errors-only \
 && pnpm --filter @iotgw/server deploy --prod --legacy /out

# --- runtime: Node 24 slim, the deployed app, a non-root user ---
FROM node:${NODE_VERSION}-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
RUN groupadd --system --gid 10001 iotgw \
 && useradd --system --uid 10001 --gid iotgw --home-dir /app --shell /usr/sbin/nologin iotgw \
 && mkdir -p /app/data \
 && chown iotgw:iotgw /app/data
COPY --from=build /out /app
# The embedded SQLite default (DATABASE_URL unset, no DB_*) writes to /app/data.
VOLUME ["/app/data"]
USER iotgw
EXPOSE 8080
# Ready = database reachable, migrations current, broker connected. Exec form: no shell needed.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# SIGTERM: stop taking messages, commit the batches, close the database, exit 0.
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/dist/main.js"]
CMD ["run"]
