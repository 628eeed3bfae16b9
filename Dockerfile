# Production image: Node 24 runs the TypeScript sources directly (type stripping), so there is no
# build step. PostgreSQL comes from DATABASE_URL; the embedded one (an optional dependency) is left out.
FROM node:24-bookworm-slim

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8080

WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --omit=optional && npm cache clean --force

COPY src ./src
COPY migrations ./migrations
COPY fhir-profiles ./fhir-profiles
COPY openapi ./openapi

USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s \
  CMD node -e "fetch('http://127.0.0.1:8080/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "src/server.ts"]
