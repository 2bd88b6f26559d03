# MariaDB and Redis on 127.0.0.1 for the bench, and Chromium for browser tests, from Debian's packages.

apt_install() {
	if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null; _APT_UPDATED=1; fi
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

mariadb_up() { mysqladmin --protocol=socket ping >/dev/null 2>&1; }

ensure_services() {
	local bench="$1"
	command -v mariadbd >/dev/null || command -v mysqld >/dev/null || apt_install mariadb-server mariadb-client
	command -v redis-server >/dev/null || apt_install redis-server
	if ! mariadb_up; then
		log "starting MariaDB"
		service mariadb start >/dev/null 2>&1 || (setsid mysqld_safe --bind-address=127.0.0.1 >/dev/null 2>&1 &)
		for _ in $(seq 1 60); do mariadb_up && break; sleep 1; done
		mariadb_up || { log "MariaDB did not start"; exit 1; }
	fi
	local port
	for port in $("$bench/env/bin/python" - "$bench/sites/common_site_config.json" <<'PY'
import json, sys
from urllib.parse import urlparse
conf = json.load(open(sys.argv[1]))
ports = {urlparse(conf[k]).port for k in ("redis_cache", "redis_queue", "redis_socketio") if conf.get(k)}
print(" ".join(str(p) for p in sorted(ports)))
PY
	); do
		if ! redis-cli -h 127.0.0.1 -p "$port" ping >/dev/null 2>&1; then
			log "starting Redis on 127.0.0.1:$port"
			redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save '' --appendonly no >/dev/null
		fi
	done
}

ensure_browser() {
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || apt_install chromium chromium-driver
}
