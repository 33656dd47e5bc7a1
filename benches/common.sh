# Shared by the benchmarks (and the API contract script): sourced, never run alone. Building
# the program, a work area that is cleaned up however the script ends, free ports, and nginx
# for the benchmarks that compare Dateline with it.

# build_dateline PROFILE: builds the program, `debug` or `release`; sets BIN to its path.
build_dateline() {
  if [ "$1" = release ]; then cargo build -q --release --bin dateline; else cargo build -q --bin dateline; fi
  BIN="$PWD/target/$1/dateline"
}

# build_bare_handler PROFILE: builds the calibration server (crates/dateline/examples/bare_handler.rs)
# and sets BARE to its path.
build_bare_handler() {
  if [ "$1" = release ]; then cargo build -q --release --example bare_handler; else cargo build -q --example bare_handler; fi
  BARE="$PWD/target/$1/examples/bare_handler"
}

# open_work_area [POSTGRES_URL]: a temporary folder ($work), the processes the script starts
# (append their PIDs to $pids) and the scratch database it may make on POSTGRES_URL (name it in
# $pg_database); when the script exits, however it exits, the processes are stopped, the
# database dropped and the folder removed.
open_work_area() {
  work="$(mktemp -d)"
  pids=()
  pg_database=""
  work_area_postgres_url="${1:-}"
  trap close_work_area EXIT
}

close_work_area() {
  local pid
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$pg_database" ]; then
    psql "$work_area_postgres_url" -qc "DROP DATABASE IF EXISTS $pg_database WITH (FORCE)" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}

# Installs nginx from Debian's packages when it is missing, without letting it start its
# default site; sets NGINX to its path.
ensure_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    echo "installing nginx (it will not be started as a service)" >&2
    # policy-rc.d answering 101 forbids maintainer scripts to start services.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    apt-get -o DPkg::Lock::Timeout=900 update -qq
    DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends nginx-light >/dev/null \
      || DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends nginx >/dev/null
    rm -f /usr/sbin/policy-rc.d
  fi
  NGINX="$(command -v nginx || echo /usr/sbin/nginx)"
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# write_nginx_conf DIR PORT ROOT: a foreground nginx on 127.0.0.1:PORT serving ROOT, its
# files in DIR.
write_nginx_conf() {
  local dir="$1" port="$2" root="$3"
  cat >"$dir/nginx.conf" <<NGINX
worker_processes auto;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $dir; proxy_temp_path $dir; fastcgi_temp_path $dir;
  uwsgi_temp_path $dir; scgi_temp_path $dir;
  server {
    listen 127.0.0.1:$port;
    root $root;
    location / { default_type "text/html; charset=utf-8"; }
  }
}
NGINX
}
