#!/usr/bin/env bash
# Installs the Debian packages the tests and benchmarks drive for real: nginx, haproxy and php-fpm
# (lab ingresses and lameduck-init end-to-end tests), tini/dumb-init/catatonit (init peers), wrk and
# h2load (load peers), chromium (the HTML report is checked in a headless browser), python3-kubernetes and
# python3-jsonpatch (independent checkers for inject and webhook).
# Every other command the tests run comes from Debian's Essential packages, present in any Debian 12 root
# (a .NET SDK image included): sh (dash), bash, coreutils (sleep, true, mkdir, cat), sed, util-linux (unshare, setpriv).
# Idempotent: does nothing when everything is already there. Needs root (CI runs as root).
set -euo pipefail

need=()
have() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ]; }
have nginx      || need+=(nginx-light)
have haproxy    || need+=(haproxy)
have php-fpm8.2 || need+=(php8.2-fpm)
have apache2    || need+=(apache2)   # lameduck-init's apache preset, proven against Debian's apache2 (mpm_event)
have tini       || need+=(tini)
have dumb-init  || need+=(dumb-init)
have catatonit  || need+=(catatonit)
have wrk        || need+=(wrk)
have h2load     || need+=(nghttp2-client)
have chromium   || need+=(chromium)
have hyperfine  || need+=(hyperfine)
[ -x /usr/bin/python3 ] || need+=(python3)   # lab tests: a tiny stand-in HTTP server as a real child process (Debian's, not a pyenv shim)
/usr/bin/python3 -c "import jsonschema" 2>/dev/null || need+=(python3-jsonschema)  # lint: SARIF output checked against the published schema
have gcc        || need+=(gcc libc6-dev)  # NativeAOT links with it; Lameduck.Init.Tests' DrainTests build a seccomp wrapper (no sock_diag)
# inject and webhook tests: independent checkers run as child processes of Debian's /usr/bin/python3:
# the official Kubernetes models (output deserialises) and an RFC 6902 JSON Patch applier (webhook patches).
/usr/bin/python3 -c 'import kubernetes' 2>/dev/null || need+=(python3-kubernetes)
/usr/bin/python3 -c 'import jsonpatch, yaml' 2>/dev/null || need+=(python3-jsonpatch python3-yaml)
have openssl    || need+=(openssl)   # webhook tests: openssl verify checks the certs command's pair
have patch      || need+=(patch)     # inject tests: patch(1) applies the --dry-run diff
have ps         || need+=(procps)    # kill, ps, pgrep: tests signal and look for leftover processes
have ss         || need+=(iproute2)  # ss: leftover-port checks in the lab's soak and tests

if [ ${#need[@]} -eq 0 ]; then
  echo "install-deps: everything present"
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "install-deps: missing ${need[*]}; run as root or: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "install-deps: installing ${need[*]}"
# Keep package post-install scripts from starting nginx/haproxy/php-fpm as system services:
# tests start their own instances on loopback ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created_policy=1; fi
trap '[ "$created_policy" = 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "install-deps: done"
