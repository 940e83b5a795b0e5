#!/usr/bin/env bash
# The container path, end to end, as a new user takes it: build the image from a CLEAN CLONE of a commit
# (nothing from the working tree), then run it the way docker-compose.yml does (same environment,
# volumes, port address, healthchecks, stop grace period; test/container/compose-args.mjs) with podman,
# against the compose file's PostgreSQL image, and check:
#   /health 200 within 60 s · the SPA and its assets load, no source maps · non-root · ffmpeg inside ·
#   published on 127.0.0.1 only (local sign-in) · migrations applied once across a restart · data and the
#   signing key survive recreating both containers on their volumes · SIGTERM → exit 0 within 10 s ·
#   a bare `docker run` says production needs Clerk (exit 78) · image ≤ 500 MB, no dev packages inside.
# Usage: test/container/smoke.sh [commit]   (default HEAD; run as root, like CI)
# Registries out of reach: the base images are local stand-ins (test/container/bases.sh, cached).
# Everything else it makes (containers, volumes, network, images, the clone) is removed at the end.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel)
commit=$(git -C "$root" rev-parse "${1:-HEAD}")
compose_file=${VYBZZ_SMOKE_COMPOSE:-}
PODMAN=(podman --storage-driver=vfs --runtime runc --cgroup-manager cgroupfs)
RUN_LIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)
MAX_IMAGE_MB=500

loud_skip() {
  printf '\n%s\n' "################################################################################"
  printf '%s\n' "##  CONTAINER SMOKE TEST SKIPPED: $1"
  printf '%s\n\n' "################################################################################"
  exit 0
}
command -v podman >/dev/null || loud_skip "podman is not installed"
"${PODMAN[@]}" info >/dev/null 2>&1 || loud_skip "podman cannot run here ($("${PODMAN[@]}" info 2>&1 | tail -1))"
[ "$(id -u)" = 0 ] || loud_skip "needs root (rootful podman)"

id=vybzz-smoke-$$
work=$(mktemp -d /var/tmp/$id.XXXXXX)
image=localhost/$id:${commit:0:12}
net=$id
pg=$id-postgres
app=$id-app
report=$root/test-artifacts/container-smoke.txt
mkdir -p "$(dirname "$report")"
timings=()
t_start=$(date +%s)
phase_t0=$t_start
phase() { # name → records the time since the previous phase
  local now; now=$(date +%s)
  timings+=("$(printf '%-44s %4d s' "$1" $((now - phase_t0)))")
  phase_t0=$now
}
fail() {
  echo "SMOKE FAIL: $*" >&2
  for c in "$app" "$pg"; do
    if "${PODMAN[@]}" container exists "$c" 2>/dev/null; then
      echo "--- logs of $c (last 40 lines) ---" >&2
      "${PODMAN[@]}" logs "$c" 2>&1 | tail -40 >&2
    fi
  done
  exit 1
}
dangling_before=$("${PODMAN[@]}" images -q --filter dangling=true | sort)
cleanup() {
  "${PODMAN[@]}" rm -f -t 0 "$app" "$pg" "$id-bare" >/dev/null 2>&1 || true
  "${PODMAN[@]}" volume rm -f "$id-appdata" "$id-pgdata" >/dev/null 2>&1 || true
  "${PODMAN[@]}" network rm -f "$net" >/dev/null 2>&1 || true
  "${PODMAN[@]}" rmi -f "$image" >/dev/null 2>&1 || true
  local now; now=$("${PODMAN[@]}" images -q --filter dangling=true | sort)
  local made; made=$(comm -13 <(echo "$dangling_before") <(echo "$now"))
  [ -n "$made" ] && "${PODMAN[@]}" rmi -f $made >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

echo "smoke: commit $commit"
bash "$here/bases.sh"
phase "stand-in base images (cached: ~0 s)"

# --- build from a clean clone --------------------------------------------------------------------------
git clone --quiet --no-local --no-checkout "$root" "$work/src"
git -C "$work/src" checkout --quiet "$commit"
[ -n "$compose_file" ] || compose_file=$work/src/docker-compose.yml
# npm inside the build: this machine's registry and CA bundle, mounted for the build only.
ca=${NODE_EXTRA_CA_CERTS:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}
printf 'registry=%s\ncafile=/run/vybzz-build/ca.pem\nfund=false\naudit=false\nupdate-notifier=false\n' \
  "$(npm config get registry)" >"$work/npmrc"
echo "smoke: building the image (vfs; a few minutes)…"
"${PODMAN[@]}" build --isolation=chroot --network host --format docker --pull=never --layers=false \
  -v "$ca:/run/vybzz-build/ca.pem:ro" -v "$work/npmrc:/root/.npmrc:ro" \
  -t "$image" "$work/src" >"$work/build.log" 2>&1 || { tail -40 "$work/build.log"; fail "image build failed"; }
phase "image build from a clean clone"


# --- run it as docker-compose.yml does -------------------------------------------------------------------
args() { VYBZZ_COMPOSE_FILE=$compose_file node "$here/compose-args.mjs" "$@"; }
mapfile -d '' pg_args < <(args postgres "$id")
mapfile -d '' app_args < <(args app "$id")
pg_image=$(args postgres --image)
"${PODMAN[@]}" network create "$net" >/dev/null

wait_healthy() { # container seconds → its compose healthcheck passes (podman runs the check on demand)
  local deadline=$(( $(date +%s) + $2 ))
  until "${PODMAN[@]}" healthcheck run "$1" >/dev/null 2>&1; do
    [ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$1")" = true ] || fail "$1 exited"
    [ "$(date +%s)" -lt "$deadline" ] || fail "$1 not healthy within $2 s"
    sleep 1
  done
}
start_pg() {
  # (podman cannot reach systemd here to schedule healthchecks; they are run on demand below)
  "${PODMAN[@]}" run -d --name "$pg" --network "$net" "${RUN_LIMITS[@]}" "${pg_args[@]}" "$pg_image" \
    >/dev/null 2>>"$work/run.log" || { cat "$work/run.log"; fail "PostgreSQL did not start"; }
  wait_healthy "$pg" 60
}
start_app() { # → sets $url and $health_s (start → /health 200)
  local pg_ip t0
  pg_ip=$("${PODMAN[@]}" inspect --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$pg")
  t0=$(date +%s%N)
  "${PODMAN[@]}" run -d --name "$app" --network "$net" --add-host "postgres:$pg_ip" "${RUN_LIMITS[@]}" \
    "${app_args[@]}" "$image" >/dev/null 2>>"$work/run.log" || { cat "$work/run.log"; fail "the app did not start"; }
  local published; published=$("${PODMAN[@]}" port "$app" 3000/tcp | sed -n 1p)
  url=http://$published
  local deadline=$(( $(date +%s) + 60 ))
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" = 200 ]; do
    [ "$("${PODMAN[@]}" inspect --format '{{.State.Running}}' "$app")" = true ] || fail "the app exited at start"
    [ "$(date +%s)" -lt "$deadline" ] || fail "/health not 200 within 60 s"
    sleep 0.5
  done
  health_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  wait_healthy "$app" 30
}
migrations() {
  "${PODMAN[@]}" exec "$pg" psql -U vybzz -d vybzz -tAc \
    'SELECT count(*) || '"'"'/'"'"' || count(DISTINCT name) FROM "_vybzz_migrations"'
}
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[process.argv[1]]))' "$1"; }

start_pg
phase "PostgreSQL healthy"
start_app
first_health_ms=$health_ms
echo "smoke: $url/health 200 after $health_ms ms"
phase "app start → /health 200 (limit 60 s)"

case "$url" in http://127.0.0.1:*) ;; *) fail "local sign-in published on $url, not 127.0.0.1 only" ;; esac
health_body=$(curl -fsS "$url/health")
grep -q '"ffmpeg"' <<<"$health_body" || fail "/health does not report ffmpeg: $health_body"
ffmpeg_v=$("${PODMAN[@]}" exec "$app" ffmpeg -hide_banner -version | sed -n 1p)
[[ "$ffmpeg_v" == "ffmpeg version"* ]] || fail "no ffmpeg inside: $ffmpeg_v"
uids=$("${PODMAN[@]}" exec "$app" sh -c 'grep -h "^Uid:" /proc/[0-9]*/status | sort -u')
[ "$(awk '{print $2 $3 $4 $5}' <<<"$uids" | sort -u)" = 1000100010001000 ] || fail "not all processes run as uid 1000: $uids"
# The SPA: index.html, every asset it names, and no source map references.
curl -fsS "$url/" -o "$work/index.html" || fail "GET / failed"
grep -q '<div id="root">' "$work/index.html" || fail "GET / is not the SPA"
assets=$(grep -oE '(src|href)="/assets/[^"]+"' "$work/index.html" | sed -E 's/^[a-z]+="//; s/"$//')
[ -n "$assets" ] || fail "index.html names no assets"
for a in $assets; do
  curl -fsS "$url$a" -o "$work/asset" || fail "asset $a did not load"
  ! grep -q sourceMappingURL "$work/asset" || fail "asset $a references a source map"
done
spa_route=$(curl -s -o /dev/null -w '%{http_code} %{content_type}' "$url/dashboard")
[[ "$spa_route" == "200 text/html"* ]] || fail "a client route does not serve the SPA: $spa_route"
phase "checks: ffmpeg, uid, SPA + $(wc -w <<<"$assets") assets"

# Data written through the API, then both containers recreated on the same volumes.
migrations_expected=$(find "$work/src/prisma/migrations" -mindepth 1 -maxdepth 1 -type d | wc -l)
m1=$(migrations)
[ "$m1" = "$migrations_expected/$migrations_expected" ] || fail "migrations after first start: $m1, expected $migrations_expected"
token=$(curl -fsS -X POST "$url/auth/dev-login" -H 'content-type: application/json' -d '{"name":"Smoke Tester"}' | json token)
auth=(-H "authorization: Bearer $token" -H 'content-type: application/json')
curl -fsS -X PUT "$url/users/me/creator-profile" "${auth[@]}" -d '{"handle":"smoke_tester","displayName":"Smoke"}' >/dev/null ||
  fail "creator profile not saved"
post_id=$(curl -fsS -X POST "$url/posts" "${auth[@]}" -d '{"title":"Before restart","body":"kept on the volume"}' | json id)

# SIGTERM (what `docker stop` sends first): exit 0 within 10 s.
t0=$(date +%s%N)
"${PODMAN[@]}" kill --signal TERM "$app" >/dev/null
timeout 12 "${PODMAN[@]}" wait "$app" >/dev/null || fail "the app did not stop within 12 s of SIGTERM"
stop_ms=$(( ($(date +%s%N) - t0) / 1000000 ))
stop_code=$("${PODMAN[@]}" inspect --format '{{.State.ExitCode}}' "$app")
[ "$stop_code" = 0 ] || fail "SIGTERM exit code $stop_code"
[ "$stop_ms" -le 10000 ] || fail "SIGTERM took $stop_ms ms (limit 10 000)"
echo "smoke: SIGTERM → exit 0 in $stop_ms ms"
phase "data written, SIGTERM stop"

"${PODMAN[@]}" rm -f "$app" >/dev/null
"${PODMAN[@]}" stop -t 10 "$pg" >/dev/null
"${PODMAN[@]}" rm -f "$pg" >/dev/null
start_pg
start_app
second_health_ms=$health_ms
got=$(curl -fsS "$url/posts/$post_id" | json title) || fail "the post is gone after the restart"
[ "$got" = "Before restart" ] || fail "the post came back as '$got'"
curl -fsS -o /dev/null "$url/users/me" "${auth[@]}" || fail "the token from before the restart is refused (signing key lost)"
m2=$(migrations)
[ "$m2" = "$m1" ] || fail "migrations changed across the restart: $m1 → $m2"
phase "recreated on the volumes: data, key, migrations"

# --- the image itself ----------------------------------------------------------------------------------
size_mb=$(( $("${PODMAN[@]}" image inspect --format '{{.Size}}' "$image") / 1000000 ))
# One container for every look inside (each `run` copies the whole image on vfs).
inside=$("${PODMAN[@]}" run --rm "${RUN_LIMITS[@]}" --user 0 --entrypoint sh "$image" -c '
  echo "nm_mb=$(du -sm /app/node_modules | cut -f1)"
  cd /app/node_modules && echo "dev_pkgs=$(ls -d prisma typescript react-dom react @prisma/studio-core @nestjs/cli jest 2>/dev/null | tr "\n" " ")"
  echo "maps=$( { find /app/web/dist -name "*.map"; grep -rl sourceMappingURL /app/web/dist; } | head -3 | tr "\n" " ")"
  # (buildah leaves the build-time mount points behind, empty; their content must not be there)
  echo "baked=$(find /root/.npmrc /run/vybzz-build -type f -size +0 2>/dev/null | tr "\n" " ")"
  cd /tmp && ffmpeg -hide_banner -loglevel error -f lavfi -i testsrc=duration=1:size=320x240:rate=30 -f lavfi -i sine=duration=1 \
    -c:v libvpx -c:a libopus in.webm && ffmpeg -hide_banner -loglevel error -i in.webm -c:v libx264 -c:a aac -f flv out.flv \
    && echo "ffmpeg_transcode=ok"') || true
val() { sed -n "s/^$1=//p" <<<"$inside" | sed 's/ *$//'; }
nm_mb=$(val nm_mb)
dev_pkgs=$(val dev_pkgs)
maps=$(val maps)
baked=$(val baked)
[ "$(val ffmpeg_transcode)" = ok ] || fail "ffmpeg in the image cannot transcode WebM (VP8/Opus) to FLV (H.264/AAC): $inside"
echo "smoke: image $size_mb MB, node_modules $nm_mb MB"
[ "$size_mb" -le "$MAX_IMAGE_MB" ] || fail "image is $size_mb MB (limit $MAX_IMAGE_MB MB)"
[ -z "$dev_pkgs" ] || fail "development packages in the image: $dev_pkgs"
[ -z "$maps" ] || fail "source maps shipped in the SPA: $maps"
[ -z "$baked" ] || fail "build-time npm settings left in the image: $baked"

# A bare `docker run`: production without Clerk must say what it needs.
set +e
bare_out=$(timeout 60 "${PODMAN[@]}" run --name "$id-bare" "${RUN_LIMITS[@]}" "$image" 2>&1)
bare_code=$?
set -e
"${PODMAN[@]}" rm -f "$id-bare" >/dev/null 2>&1 || true
[ "$bare_code" = 78 ] || fail "bare run exited $bare_code, not 78: $bare_out"
grep -q 'CLERK_SECRET_KEY' <<<"$bare_out" && grep -q 'NODE_ENV=development' <<<"$bare_out" ||
  fail "bare run does not say that production needs Clerk: $bare_out"
phase "image checks (size, contents, bare run)"

total=$(( $(date +%s) - t_start ))
{
  echo "container smoke test — commit $commit — $(date -u +%FT%TZ)"
  echo "image: $size_mb MB (limit $MAX_IMAGE_MB), node_modules $nm_mb MB; $ffmpeg_v"
  echo "/health 200 after start: ${first_health_ms} ms, after recreate: ${second_health_ms} ms; SIGTERM → exit 0 in ${stop_ms} ms"
  echo "migrations applied: $m1 (unchanged across the restart); published on ${url#http://}"
  printf '%s\n' "${timings[@]}"
  printf '%-44s %4d s\n' "total" "$total"
} | tee "$report"
echo "SMOKE OK"
