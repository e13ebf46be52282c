# shellcheck shell=bash
# Sourced by .ci/run: start a throwaway PostgreSQL cluster for the store tests and export
# TIMELINE_TEST_PG_URL. Idempotent (a cluster this script already started is reused), never exits the
# caller's shell: it returns non-zero on failure and the caller warns. Installs Debian's `postgresql`
# when no server binaries are found (needs root). Stop the cluster with: bash .ci/postgres.sh stop
#
# Everything runs inside functions with `local` state because this file runs in the caller's shell,
# which has `set -euo pipefail` on.

_tl_pg_state="${TIMELINE_CI_PG_DIR:-${TMPDIR:-/tmp}/timeline-ci-postgres}"

_tl_pg_log() { echo "ci/postgres: $*" >&2; }

_tl_pg_bindir() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
    done
    if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
        pg_config --bindir; return 0
    fi
    return 1
}

_tl_pg_install() {
    if [ "$(id -u)" != 0 ]; then _tl_pg_log "no PostgreSQL binaries and not root: cannot install"; return 1; fi
    _tl_pg_log "installing Debian's postgresql package"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null \
        && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Run a server binary as the unprivileged postgres user when we are root (initdb refuses root).
_tl_pg_as() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

_tl_pg_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

_tl_pg_start() {
    local bindir data port url
    bindir="$(_tl_pg_bindir)" || { _tl_pg_install && bindir="$(_tl_pg_bindir)"; } || {
        _tl_pg_log "PostgreSQL server binaries not found"; return 1; }
    if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
        useradd --system --no-create-home --shell /usr/sbin/nologin postgres || return 1
    fi
    mkdir -p "$_tl_pg_state" || return 1
    [ "$(id -u)" = 0 ] && chown postgres: "$_tl_pg_state"
    data="$_tl_pg_state/data"
    # Reuse a cluster this script started earlier (a second `.ci/run`, or another shell).
    if [ -f "$_tl_pg_state/url" ] && _tl_pg_as "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1; then
        url="$(cat "$_tl_pg_state/url")"
        if _tl_pg_as "$bindir/psql" "${url/+psycopg/}" -Atqc 'select 1' >/dev/null 2>&1; then
            export TIMELINE_TEST_PG_URL="$url"
            _tl_pg_log "reusing PostgreSQL at $url"
            return 0
        fi
    fi
    _tl_pg_as "$bindir/pg_ctl" -D "$data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$data" "$_tl_pg_state/url"
    _tl_pg_as "$bindir/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --no-sync >"$_tl_pg_state/initdb.log" 2>&1 \
        || { _tl_pg_log "initdb failed, see $_tl_pg_state/initdb.log"; return 1; }
    port="$(_tl_pg_free_port)" || return 1
    # fsync off and a socket in our own directory: a test cluster, not a system service.
    _tl_pg_as "$bindir/pg_ctl" -D "$data" -l "$_tl_pg_state/server.log" -w -t 30 \
        -o "-p $port -k $_tl_pg_state -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off" \
        start >/dev/null 2>&1 9>&- || { _tl_pg_log "server did not start, see $_tl_pg_state/server.log"; return 1; }
    _tl_pg_as "$bindir/createdb" -h 127.0.0.1 -p "$port" -U postgres timeline_test \
        || { _tl_pg_log "createdb failed"; return 1; }
    url="postgresql+psycopg://postgres@127.0.0.1:$port/timeline_test"
    echo "$url" >"$_tl_pg_state/url"
    export TIMELINE_TEST_PG_URL="$url"
    _tl_pg_log "$("$bindir/postgres" --version) at $url"
}

_tl_pg_stop() {
    local bindir
    bindir="$(_tl_pg_bindir)" || return 1
    [ -d "$_tl_pg_state/data" ] || return 0
    _tl_pg_as "$bindir/pg_ctl" -D "$_tl_pg_state/data" -m fast -w stop >/dev/null 2>&1
    rm -rf "$_tl_pg_state"
}

_tl_pg_main() {
    # flock (fd 9, closed for the server so it does not hold the lock) keeps two CI runs on one machine from initialising the same cluster at once.
    if command -v flock >/dev/null 2>&1; then
        mkdir -p "$(dirname "$_tl_pg_state")"
        exec 9>"$_tl_pg_state.lock" && flock -w 60 9 && _tl_pg_locked=1
    fi
    local rc=0
    if [ "${1:-start}" = stop ]; then _tl_pg_stop || rc=$?; else _tl_pg_start || rc=$?; fi
    [ -n "${_tl_pg_locked:-}" ] && exec 9>&-
    return "$rc"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    _tl_pg_main "${1:-start}"; exit $?
fi
_tl_pg_main start
_tl_pg_rc=$?
unset -f _tl_pg_log _tl_pg_bindir _tl_pg_install _tl_pg_as _tl_pg_free_port _tl_pg_start _tl_pg_stop _tl_pg_main
unset _tl_pg_state _tl_pg_locked
return "$_tl_pg_rc"
