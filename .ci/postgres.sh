# shellcheck shell=bash
# .ci/postgres.sh — start a throw-away PostgreSQL for the casefile store tests.
#
# Usage (from .ci/run, or by hand):
#     source .ci/postgres.sh || exit 1
#     go test ./casefile/...        # now runs the PostgreSQL conformance suite
#
# On Debian 12 as root it installs the `postgresql` package when missing
# (quietly, non-interactive), creates a private cluster in $ONESTOP_PG_DIR
# (default /tmp/onestop-pg) owned by the postgres user, starts it listening on
# 127.0.0.1:$ONESTOP_PG_PORT only (default 54329; TCP on loopback plus a Unix
# socket inside the data directory), creates the role and database `onestop`
# / `onestop_test`, waits until it accepts connections and exports
#     ONESTOP_TEST_POSTGRES_DSN=postgres://onestop:…@127.0.0.1:54329/onestop_test?sslmode=disable
# Run as a normal user it does the same without installing or switching user.
# It is idempotent: a second run finds the package, the cluster and the
# server already there and only exports the DSN. The cluster trades
# durability for speed (fsync off): it is for tests only.
# Stop it with: pg_ctl -D "$ONESTOP_PG_DIR" stop  (as the postgres user).
# Every failure prints "postgres.sh: …" on stderr and returns non-zero.

onestop_pg_setup() {
	local dir="${ONESTOP_PG_DIR:-/tmp/onestop-pg}"
	local port="${ONESTOP_PG_PORT:-54329}"
	local user=onestop password=onestop db=onestop_test
	local bindir asuser=()

	_pg_die() { echo "postgres.sh: $*" >&2; return 1; }

	bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
		[ "$(id -u)" -eq 0 ] || { _pg_die "PostgreSQL is not installed and installing needs root"; return 1; }
		echo "postgres.sh: installing postgresql from Debian packages" >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq >/dev/null || { _pg_die "apt-get update failed"; return 1; }
		apt-get install -y -qq --no-install-recommends postgresql >/dev/null ||
			{ _pg_die "apt-get install postgresql failed"; return 1; }
		bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
		[ -x "$bindir/initdb" ] || { _pg_die "initdb not found after installing postgresql"; return 1; }
	fi

	if [ "$(id -u)" -eq 0 ]; then
		id postgres >/dev/null 2>&1 || { _pg_die "the postgres system user does not exist"; return 1; }
		asuser=(runuser -u postgres --)
	fi

	if [ ! -s "$dir/PG_VERSION" ]; then
		mkdir -p "$dir" || { _pg_die "cannot create $dir"; return 1; }
		[ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
		chmod 700 "$dir"
		local pwfile
		pwfile=$(mktemp) && echo postgres >"$pwfile" && chmod 644 "$pwfile"
		"${asuser[@]}" "$bindir/initdb" -D "$dir" -U postgres -E UTF8 --no-locale \
			--auth-local=trust --auth-host=scram-sha-256 --pwfile="$pwfile" >"$dir.initdb.log" 2>&1 || {
			rm -f "$pwfile"
			cat "$dir.initdb.log" >&2
			_pg_die "initdb failed in $dir"
			return 1
		}
		rm -f "$pwfile"
		cat >>"$dir/postgresql.conf" <<CONF
# onestop test cluster (.ci/postgres.sh): loopback only, speed over durability
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
	fi

	if ! "${asuser[@]}" "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
		"${asuser[@]}" "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start >/dev/null || {
			tail -n 30 "$dir/server.log" >&2
			_pg_die "the server in $dir did not start"
			return 1
		}
	fi

	local i
	for i in $(seq 1 60); do
		"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
		sleep 1
	done
	"$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" ||
		{ _pg_die "PostgreSQL on 127.0.0.1:$port is not ready after 60 s"; return 1; }

	local psql=("${asuser[@]}" "$bindir/psql" -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -qtA)
	if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = '$user'")" != 1 ]; then
		"${psql[@]}" -c "CREATE ROLE $user LOGIN PASSWORD '$password'" >/dev/null ||
			{ _pg_die "cannot create role $user"; return 1; }
	fi
	if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
		"${psql[@]}" -c "CREATE DATABASE $db OWNER $user" >/dev/null ||
			{ _pg_die "cannot create database $db"; return 1; }
	fi

	export ONESTOP_TEST_POSTGRES_DSN="postgres://$user:$password@127.0.0.1:$port/$db?sslmode=disable"
	PGPASSWORD=$password "$bindir/psql" "$ONESTOP_TEST_POSTGRES_DSN" -qtA -c "SELECT 1" >/dev/null ||
		{ _pg_die "cannot connect with $ONESTOP_TEST_POSTGRES_DSN"; return 1; }
	echo "postgres.sh: PostgreSQL ready, ONESTOP_TEST_POSTGRES_DSN=$ONESTOP_TEST_POSTGRES_DSN" >&2
}

if (return 0 2>/dev/null); then
	onestop_pg_setup
else
	# Executed rather than sourced: set up, then print the export line.
	onestop_pg_setup || exit 1
	echo "export ONESTOP_TEST_POSTGRES_DSN='$ONESTOP_TEST_POSTGRES_DSN'"
fi
