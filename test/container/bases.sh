#!/usr/bin/env bash
# Stand-in base images for machines where container registries are out of reach (CI here).
# They carry the names the Dockerfile and docker-compose.yml use, built from Debian bookworm with
# debootstrap, so the real Dockerfile and the real compose settings run unchanged:
#   node:20-bookworm-slim  Debian bookworm minbase + this machine's node and npm in /usr/local, a `node`
#                          user (uid 1000), no docs/man/translations (dpkg excludes), like the official
#                          (debian:bookworm-slim based) image.
#   postgres:16-bookworm   Debian bookworm minbase + Debian's PostgreSQL (15 in bookworm: the version
#                          differs from the real image's 16; the app's SQL needs nothing newer) and an
#                          entrypoint that honours POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB/PGDATA the
#                          way the official image does.
# Each image is labelled with a hash of its recipe (this file, node's and npm's versions) and rebuilt
# only when that changes; a fresh machine builds both (about 1 minute each).
# Usage: bases.sh            (ensures both; prints nothing else but progress)
set -euo pipefail
PODMAN=(podman --storage-driver=vfs)
NODE_REF=docker.io/library/node:20-bookworm-slim
PG_REF=docker.io/library/postgres:16-bookworm
PG_MAJOR=15

# The Debian mirror this machine's apt uses (deb822 "URIs:" or a one-line "deb" entry).
mirror=$(grep -hE '^\s*URIs:\s*\S+/debian/?\s*$' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | head -1 || true)
if [ -z "$mirror" ]; then
  mirror=$(grep -hE '^\s*deb\s+\S+/debian/?\s+bookworm\b' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{print $2}' | head -1 || true)
fi
mirror=${mirror:-http://deb.debian.org/debian}
security=${mirror%/debian}/debian-security

node_bin=$(readlink -f "$(command -v node)")
npm_dir=$(npm root -g)/npm

have() { # ref → true when the image exists with this recipe's label
  [ "$("${PODMAN[@]}" image inspect --format '{{index .Labels "vybzz.recipe"}}' "$1" 2>/dev/null || true)" = "$recipe" ]
}

rootfs() { # dir → a bookworm minbase with the machine's mirror, ready for apt
  local dir=$1
  debootstrap --variant=minbase bookworm "$dir" "$mirror" >"$dir.log" 2>&1 || { tail -20 "$dir.log"; return 1; }
  rm -f "$dir/etc/apt/sources.list"
  cat >"$dir/etc/apt/sources.list.d/debian.sources" <<SRC
Types: deb
URIs: $mirror
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
}

finish() { # dir → like Debian's slim images: no docs, man pages or translations; no apt caches
  local dir=$1
  mkdir -p "$dir/etc/dpkg/dpkg.cfg.d"
  cat >"$dir/etc/dpkg/dpkg.cfg.d/docker" <<'DPKG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
DPKG
  find "$dir/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete 2>/dev/null || true
  rm -rf "$dir"/usr/share/man/* "$dir"/usr/share/groff/* "$dir"/usr/share/info/* "$dir"/usr/share/lintian/* \
    "$dir"/usr/share/locale/*
  rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin "$dir"/var/cache/apt/archives/*.deb "$dir"/var/log/*.log
  : >"$dir/etc/resolv.conf"
}

build_node() {
  local dir; dir=$(mktemp -d /var/tmp/vybzz-base-node.XXXXXX); chmod 0755 "$dir"
  rootfs "$dir"
  install -D -m 0755 "$node_bin" "$dir/usr/local/bin/node"
  mkdir -p "$dir/usr/local/lib/node_modules"
  cp -a "$npm_dir" "$dir/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$dir/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$dir/usr/local/bin/npx"
  chroot "$dir" groupadd --gid 1000 node
  chroot "$dir" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  chroot "$dir" /usr/local/bin/node --version >/dev/null
  finish "$dir"
  tar -C "$dir" -c . | "${PODMAN[@]}" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=$("$node_bin" --version | tr -d v)" \
    --change 'CMD ["node"]' \
    --change "LABEL vybzz.recipe=$recipe" \
    --change 'LABEL vybzz.stand-in=true' - "$NODE_REF" >/dev/null
  rm -rf "$dir" "$dir.log"
}

build_pg() {
  local dir; dir=$(mktemp -d /var/tmp/vybzz-base-pg.XXXXXX); chmod 0755 "$dir"
  rootfs "$dir"
  cp /etc/resolv.conf "$dir/etc/resolv.conf"
  printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"; chmod +x "$dir/usr/sbin/policy-rc.d"
  mkdir -p "$dir/etc/postgresql-common"
  echo 'create_main_cluster = false' >"$dir/etc/postgresql-common/createcluster.conf"
  chroot "$dir" sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-$PG_MAJOR >/dev/null"
  rm -f "$dir/usr/sbin/policy-rc.d"
  cat >"$dir/usr/local/bin/docker-entrypoint.sh" <<'ENTRY'
#!/bin/sh
# Stand-in for the official image's entrypoint: first start initialises PGDATA with POSTGRES_USER
# (superuser), POSTGRES_PASSWORD (scram-sha-256 over TCP) and POSTGRES_DB, then runs postgres.
set -eu
PGDATA=${PGDATA:-/var/lib/postgresql/data}
export PGDATA
[ "${1:-postgres}" = postgres ] && [ $# -gt 0 ] && shift
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" postgres "$@"
fi
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "${POSTGRES_HOST_AUTH_METHOD:-}" != trust ]; then
    echo 'Error: POSTGRES_PASSWORD is required (or POSTGRES_HOST_AUTH_METHOD=trust)' >&2
    exit 1
  fi
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  pw=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pw"
  initdb -D "$PGDATA" -U "$user" --pwfile="$pw" --auth-local=trust --auth-host=scram-sha-256 >/dev/null
  rm -f "$pw"
  echo "host all all all ${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}" >>"$PGDATA/pg_hba.conf"
  if [ "$db" != postgres ]; then
    echo "CREATE DATABASE \"$db\";" | postgres --single -D "$PGDATA" postgres >/dev/null
  fi
  echo 'PostgreSQL init process complete; ready for start up.'
fi
exec postgres -D "$PGDATA" -c listen_addresses='*' "$@"
ENTRY
  chmod 0755 "$dir/usr/local/bin/docker-entrypoint.sh"
  finish "$dir"
  tar -C "$dir" -c . | "${PODMAN[@]}" import \
    --change "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/lib/postgresql/$PG_MAJOR/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
    --change 'ENV PGDATA=/var/lib/postgresql/data' \
    --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
    --change 'CMD ["postgres"]' \
    --change 'STOPSIGNAL SIGINT' \
    --change 'EXPOSE 5432' \
    --change "LABEL vybzz.recipe=$recipe" \
    --change 'LABEL vybzz.stand-in=true' - "$PG_REF" >/dev/null
  rm -rf "$dir" "$dir.log"
}

# The recipe: the functions that make the images, the versions copied in, the mirror.
recipe=$( { declare -f rootfs finish build_node build_pg; echo "$PG_MAJOR $NODE_REF $PG_REF";
  "$node_bin" --version; npm --version; echo "$mirror"; } | sha256sum | cut -c1-16)

# Both are built at once (mostly network and disk): about 4 minutes on a fresh machine, 0 s when cached.
pids=()
for ref in "$NODE_REF" "$PG_REF"; do
  if have "$ref"; then
    echo "bases: $ref stand-in is cached (recipe $recipe)"
    continue
  fi
  echo "bases: building the $ref stand-in from Debian bookworm ($mirror)…"
  (
    old=$("${PODMAN[@]}" image inspect --format '{{.Id}}' "$ref" 2>/dev/null || true)
    t0=$(date +%s)
    if [ "$ref" = "$NODE_REF" ]; then build_node; else build_pg; fi
    if [ -n "$old" ]; then "${PODMAN[@]}" rmi "$old" >/dev/null 2>&1 || true; fi
    echo "bases: $ref built in $(($(date +%s) - t0)) s"
  ) &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done
