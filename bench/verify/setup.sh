# Shared by the verify benchmarks (sourced, not run): builds a private copy of lameduck and starts Debian's
# nginx on a free loopback port (generated config in $work, never the system service; one worker process, so
# client and server each have a core on a 2-core machine; 12-byte body). Needs $root and $work; sets
# $lameduck (command array), $client (CPU-pinning prefix for load generators), $port, $url, $nginx_pid, and an EXIT trap that stops nginx and removes $work.
nginx_pid=""
cleanup() {
  if [ -n "$nginx_pid" ]; then kill -QUIT "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== build lameduck (Release)" >&2
dotnet build src/Lameduck.Cli -c Release -nologo -v:q -clp:NoSummary >&2
# A private copy: a rebuild in the worktree during the run must not change what is measured.
cp -r "$root/src/Lameduck.Cli/bin/Release/net10.0" "$work/lameduck"
# Client and server each get their own core (PIN=0 leaves placement to the kernel): nginx the last CPU, the load
# generators (wrk, h2load, verify) CPU 0, so the peers and verify meet the same conditions. Left to itself the
# kernel now and then ran both busy threads on one core for milliseconds, which is send lag for verify (measured at
# 77,000 req/s: p99 0.09–2.3 ms unpinned, 0.07–1.3 ms pinned) and invisible to a closed-loop peer.
client=(); server=()
if [ "${PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ] && command -v taskset >/dev/null; then
  client=(taskset -c 0); server=(taskset -c "$(($(nproc) - 1))")
fi
lameduck=("${client[@]}" dotnet "$work/lameduck/Lameduck.Cli.dll")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null \
       || shuf -i 20000-60000 -n 1)
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
worker_rlimit_nofile 65536;
daemon off;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 16384; }
http {
  access_log off;
  client_body_temp_path $work; proxy_temp_path $work; fastcgi_temp_path $work; uwsgi_temp_path $work; scgi_temp_path $work;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  server {
    listen 127.0.0.1:$port backlog=4096;
    location / { default_type text/plain; return 200 "hello world\n"; }
  }
}
CONF
"${server[@]}" nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
url="http://127.0.0.1:$port/"
for _ in $(seq 50); do curl -fs "$url" >/dev/null 2>&1 && break; sleep 0.1; done
[ "$(curl -fs "$url")" = "hello world" ] || { echo "nginx did not come up on $url" >&2; exit 1; }

