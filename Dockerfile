# Vybzz: one NestJS process serving the API, the ingest WebSocket and the built SPA.
# `docker build -t vybzz .` (or `docker compose up`). test/container/smoke.sh builds it from a clean clone
# with podman and boots it against PostgreSQL; see docs/operations.md "The container image".

# --- 1. Production dependencies, from the lockfile alone --------------------------------------------
# --omit=dev drops the devDependencies; --omit=optional also drops the "devOptional" packages that
# npm would otherwise install as optional peers (prisma's CLI, typescript, react-dom, Prisma Studio).
# No production package needs an optional one on Linux, nor an install script (the only one left is
# a telemetry ping). The Prisma runtime keeps only what the CommonJS client loads for PostgreSQL; no
# source maps, type declarations, TypeScript sources or markdown (nothing loads them at run time).
FROM node:20-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --omit=optional --ignore-scripts --no-audit --no-fund \
  && find node_modules -type f \( -name '*.map' -o -name '*.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
       -o -iname '*.md' \) -delete \
  && find node_modules/@prisma/client/runtime -type f \( -name 'query_compiler_small_*' -o -name '*.mjs' \
       -o -name '*.cockroachdb.*' -o -name '*.mysql.*' -o -name '*.sqlite.*' -o -name '*.sqlserver.*' \) -delete \
  && rm -rf /root/.npm

# --- 2. Build the server and the SPA ---------------------------------------------------------------
FROM node:20-bookworm-slim AS build
WORKDIR /app
ENV PRISMA_HIDE_UPDATE_MESSAGE=1 CHECKPOINT_DISABLE=1 VYBZZ_SKIP_WEB_INSTALL=1
COPY package.json package-lock.json ./
COPY scripts ./scripts
COPY prisma ./prisma
COPY prisma.config.ts tsconfig.json tsconfig.build.json ./
RUN npm install --no-audit --no-fund
COPY web/package.json web/package-lock.json ./web/
RUN cd web && npm install --no-audit --no-fund
COPY . .
# The Prisma client is generated again from the full tree (schema.prisma also pins its import
# extension), so the compiled client never depends on what the install step happened to see.
# The SPA is built without source maps: nothing of the sources is shipped.
RUN npm run prisma:generate \
  && npm run build \
  && cd web && npm run build -- --sourcemap false \
  && ! find dist -name '*.map' | grep -q .

# --- 3. Debian's ffmpeg, without what it never loads ---------------------------------------------------
# The package's dependencies bring ~450 MB (Mesa, LLVM, X and GPU drivers that ffmpeg only dlopen()s for
# hardware paths this app never uses). The binary and exactly the shared libraries it links (ldd) that the
# base lacks are copied out instead; the same Debian builds run, and their package versions are recorded
# in /usr/local/share/vybzz/ffmpeg-packages.txt for image scanners and audits.
FROM node:20-bookworm-slim AS ffmpeg
RUN ls /usr/lib/x86_64-linux-gnu >/tmp/base-libs \
  && apt-get update \
  && apt-get install -y --no-install-recommends ffmpeg \
  && install -D /usr/bin/ffmpeg /out/usr/bin/ffmpeg \
  && for lib in $(ldd /usr/bin/ffmpeg | awk '/=> \//{print $3}' | sort -u); do \
       path=$(echo "$lib" | sed 's#^/lib/#/usr/lib/#'); rel=${path#/usr/lib/x86_64-linux-gnu/}; \
       if grep -qx "${rel%%/*}" /tmp/base-libs; then continue; fi; \
       mkdir -p "/out$(dirname "$path")"; cp -L "$lib" "/out$path" || exit 1; \
       { dpkg -S "$(readlink -f "$lib")" || dpkg -S "$lib"; } 2>/dev/null | cut -d: -f1 >>/tmp/pkgs; \
     done \
  && mkdir -p /out/usr/local/share/vybzz \
  && dpkg-query -W ffmpeg $(sort -u /tmp/pkgs) >/out/usr/local/share/vybzz/ffmpeg-packages.txt

# --- 4. Runtime: node, ffmpeg, tini; runs as the unprivileged `node` user ----------------------------
FROM node:20-bookworm-slim AS runtime
COPY --from=ffmpeg /out/ /
RUN ldconfig \
  && ffmpeg -hide_banner -version >/dev/null \
  && apt-get update \
  && apt-get install -y --no-install-recommends tini ca-certificates \
  && rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin \
  && rm -rf /usr/local/lib/node_modules/npm /usr/local/bin/npm /usr/local/bin/npx /opt/yarn-* \
       /usr/local/bin/yarn /usr/local/bin/yarnpkg
WORKDIR /app
# HOST=0.0.0.0: inside a container loopback is unreachable through the published port, so the image
# listens on every interface; the compose file publishes local sign-in on 127.0.0.1 only.
# NODE_ENV=production refuses local sign-in: a bare `docker run` stops with exit 78 and a message
# asking for Clerk (or NODE_ENV=development to try it out); see README "Container".
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/package.json ./
COPY --from=build /app/dist ./dist
COPY --from=build /app/prisma ./prisma
COPY --from=build /app/web/dist ./web/dist
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
# tini reaps FFmpeg children and passes SIGTERM on, so shutdown is graceful.
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--enable-source-maps", "dist/main.js"]
