# Test services, sourced by scripts/test: installed if missing, started on loopback, stopped on exit.
# shellcheck shell=bash

apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "missing system packages: $* (run as root, or: sudo apt-get install $*)" >&2
    return 1
  fi
  if [ -z "${KC_APT_UPDATED:-}" ]; then apt-get update -qq; KC_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

PG_BIN=/usr/lib/postgresql/15/bin

ensure_postgres() {
  [ -x "$PG_BIN/initdb" ] || apt_install postgresql-15
}

free_port() {
  .venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Start a throwaway PostgreSQL 15 cluster; sets KC_PG_DIR and KC_PG_URL.
start_postgres() {
  ensure_postgres
  KC_PG_DIR=$(mktemp -d /tmp/kotacerdas-pg.XXXXXX)
  [ "$(id -u)" = 0 ] && chown postgres "$KC_PG_DIR"
  local port; port=$(free_port)
  as_postgres "$PG_BIN/initdb" -D "$KC_PG_DIR/data" -U kotacerdas -A trust --no-sync -E UTF8 >/dev/null
  as_postgres "$PG_BIN/pg_ctl" -D "$KC_PG_DIR/data" -l "$KC_PG_DIR/server.log" -w -o \
    "-p $port -k $KC_PG_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    start >/dev/null
  as_postgres "$PG_BIN/createdb" -h 127.0.0.1 -p "$port" -U kotacerdas kotacerdas
  KC_PG_URL="postgresql://kotacerdas@127.0.0.1:$port/kotacerdas"
  echo "PostgreSQL 15 test server on 127.0.0.1:$port"
}

stop_postgres() {
  if [ -n "${KC_PG_DIR:-}" ] && [ -d "$KC_PG_DIR/data" ]; then
    as_postgres "$PG_BIN/pg_ctl" -D "$KC_PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$KC_PG_DIR"
  fi
}

# WeasyPrint (master plan PDFs) needs Pango and a font from Debian.
ensure_pdf_libs() {
  if ! ldconfig -p 2>/dev/null | grep -q "libpango-1.0.so.0" || [ ! -d /usr/share/fonts/truetype/dejavu ]; then
    apt_install libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
  fi
}

# A throwaway Mosquitto broker on loopback (NGSI-LD mqtt:// notifications); sets KC_MQTT_URL.
ensure_mosquitto() {
  command -v mosquitto >/dev/null 2>&1 || [ -x /usr/sbin/mosquitto ] || apt_install mosquitto
}

start_mosquitto() {
  ensure_mosquitto || return 1
  local port; port=$(free_port)
  KC_MQTT_DIR=$(mktemp -d /tmp/kotacerdas-mqtt.XXXXXX)
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\nmax_inflight_messages 0\n' "$port" >"$KC_MQTT_DIR/mosquitto.conf"
  [ "$(id -u)" = 0 ] && chown -R mosquitto "$KC_MQTT_DIR" 2>/dev/null
  local bin; bin=$(command -v mosquitto || echo /usr/sbin/mosquitto)
  "$bin" -c "$KC_MQTT_DIR/mosquitto.conf" -d 2>"$KC_MQTT_DIR/log" || return 1
  for _ in $(seq 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  KC_MQTT_URL="mqtt://127.0.0.1:$port"
  echo "Mosquitto test broker on 127.0.0.1:$port"
}

stop_mosquitto() {
  pkill -f "mosquitto -c ${KC_MQTT_DIR:-/nonexistent}/mosquitto.conf" 2>/dev/null || true
  [ -n "${KC_MQTT_DIR:-}" ] && rm -rf "$KC_MQTT_DIR"
}
