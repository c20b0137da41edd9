#!/usr/bin/env bash
# nghttpx (Debian nghttp2-proxy) in front of the bundled echo server: RFC 8441 WebSockets over h2c
# on its frontend (127.0.0.1:PORT), HTTP/1.1 WebSockets to the echo server behind it.
# Usage: scripts/peers/nghttpx_echo.sh PORT   (WSCONFORM=path to the wsconform binary to use)
set -euo pipefail
port=$1
wsconform=${WSCONFORM:-$(dirname "$0")/../../.build/release/wsconform}
backend=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
trap 'exit 0' TERM INT
SWIFT_BACKTRACE=enable=no "$wsconform" echo-server --port "$backend" --deflate --quiet & pids+=($!)
# --conf=/dev/null: Debian's /etc/nghttpx/nghttpx.conf adds a frontend on 127.0.0.1:3000, so a
# second nghttpx (or anything else on port 3000) would make this one exit at once.
nghttpx --conf=/dev/null "--frontend=127.0.0.1,$port;no-tls" "--backend=127.0.0.1,$backend" --workers=1 --no-ocsp \
  --errorlog-file=/dev/stderr --accesslog-file=/dev/null --log-level=WARN & pids+=($!)
wait -n
