# One image build, four runtimes: `--target api`, `--target worker`, `--target files`, `--target web`.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim AS runtime
WORKDIR /app
# V8 heap limit of the server processes: the same as SERVER_HEAP_LIMIT in tools/src/platform/processes.ts
ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1 NODE_OPTIONS=--max-old-space-size=1024
COPY --from=build /app/package.json /app/tsconfig.base.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/tools/runtime ./tools/runtime
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/nx.json ./nx.json
COPY --from=build /app/libs/server/accounts/src/common-passwords.txt ./libs/server/accounts/src/common-passwords.txt
USER node

FROM runtime AS api
EXPOSE 3001
CMD ["node", "-r", "./tools/runtime/register-aliases.cjs", "dist/server/apps/api/src/main.js"]

FROM runtime AS files
EXPOSE 3002
CMD ["node", "-r", "./tools/runtime/register-aliases.cjs", "dist/server/apps/files/src/main.js"]

FROM runtime AS worker
CMD ["node", "-r", "./tools/runtime/register-aliases.cjs", "dist/server/apps/worker/src/main.js"]

FROM runtime AS migrate
CMD ["node", "-r", "./tools/runtime/register-aliases.cjs", "dist/server/tools/src/db/migrate.cli.js"]

FROM runtime AS web
COPY --from=build /app/apps/web ./apps/web
EXPOSE 3000
CMD ["node", "-r", "./tools/runtime/register-aliases.cjs", "dist/server/tools/src/platform/web-server.js"]
