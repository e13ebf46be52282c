# shellcheck shell=bash
# Sourced by .ci/run: make Debian's chromium available for the browser tests (tests/web/test_browser.py,
# driven by Playwright through the system browser; no browser build is ever downloaded). Installs the
# `chromium` package when it is missing (needs root), then exports TIMELINE_TEST_BROWSER=require so the
# browser tests fail rather than skip if the browser still cannot be found. Never exits the caller's
# shell: returns non-zero on failure and the caller warns.

_tl_chromium_main() {
    if ! command -v chromium >/dev/null 2>&1; then
        if [ "$(id -u)" != 0 ]; then
            echo "ci/chromium: chromium is not installed and this is not root: cannot install it" >&2
            return 1
        fi
        echo "ci/chromium: installing Debian's chromium" >&2
        # apt's own lock: a PostgreSQL install started beside us waits instead of failing
        DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 update -qq >/dev/null \
            && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq \
                --no-install-recommends chromium >/dev/null \
            || { echo "ci/chromium: apt-get install chromium failed" >&2; return 1; }
    fi
    export TIMELINE_TEST_BROWSER=require
    echo "ci/chromium: $(chromium --version 2>/dev/null | head -1)" >&2
}

_tl_chromium_main
_tl_chromium_rc=$?
unset -f _tl_chromium_main
return "$_tl_chromium_rc"
