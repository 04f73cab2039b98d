# cordon worker / Slack app image. Dependencies are installed exactly as locked, with install scripts off.
FROM node:20.20.2-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --ignore-scripts && npm cache clean --force
COPY domain ./domain
COPY lockfiles ./lockfiles
COPY workflows ./workflows
COPY activities ./activities
COPY config ./config
COPY codec ./codec
COPY client ./client
COPY audit ./audit
COPY scan ./scan
COPY worker ./worker
COPY devserver ./devserver
COPY cli ./cli
COPY slack ./slack
COPY playbooks ./playbooks
COPY tsconfig.json ./
USER node
CMD ["node", "--import", "tsx", "worker/main.ts"]
