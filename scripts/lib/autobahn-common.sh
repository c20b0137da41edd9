# Helpers shared by scripts/autobahn-diff.sh and scripts/autobahn-diff-client.sh (source it).
# Sets $wstest (Autobahn's wstest) and $WSCONFORM (a release wsconform, built unless given).
wstest=$(bash ../shared/autobahn/install.sh 2>/dev/null || bash "${AUTOBAHN_INSTALL:-/work/shared/autobahn/install.sh}")
if [ -z "${WSCONFORM:-}" ]; then
  swift build -c release --product wsconform >/dev/null
  WSCONFORM=$(swift build -c release --show-bin-path)/wsconform
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
now() { python3 -c 'import time; print(time.time())'; }
# wait_port PORT: returns once something listens on 127.0.0.1:PORT (10 s at most).
wait_port() {
  for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# json_list "a,b": the comma-separated patterns as a JSON list.
json_list() { python3 -c 'import json,sys; print(json.dumps([c.strip() for c in sys.argv[1].split(",") if c.strip()]))' "$1"; }
