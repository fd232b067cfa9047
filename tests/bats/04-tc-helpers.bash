# Helpers for the pm-tc Bats files (040-049).  Load after `load helpers`.
#
# Every test builds a simulated host (helpers' sim_host_create) with a port
# pool, real containers made by pm-alloc + pm-netns, and runs pm-tc inside it.
# Traffic comes from 04-tc-probe.py (TCP and UDP servers that log what they
# receive, clients that wait for an answer).


PROBE="$BATS_TEST_DIRNAME/04-tc-probe.py"
POOL=20480-22527     # 4 containers of 512 ports, below the host's 32768-60999
PORTS=31000-31999
TC_PIDS=()

pmtc() { in_host pm-tc "$@"; }

tc_setup() {
	default_setup
	sim_host_create
	in_host pm-alloc init --ephemeral-ports "$POOL" --per-container 512 --ports "$PORTS" >/dev/null
}

tc_teardown() {
	local pid
	for pid in "${TC_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
	for pid in "${TC_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
	# Deleting the simulated host removes every host veth and filter with it.
	default_teardown
}

# tc_attached ID:PORTS...: pm-tc setup, then each container made and attached.
tc_attached() {
	local spec
	pmtc setup
	for spec in "$@"; do
		container "${spec%%:*}" "${spec#*:}"
		pmtc attach "${spec%%:*}"
	done
}

# container ID [PORTS]: allocate ports and create the namespace.
container() {
	local id="$1" ports="${2:-}"
	in_host pm-alloc allocate "$id" ${ports:+--ports "$ports"} >/dev/null
	in_host pm-netns create "$id"
}

# The network namespace path of a place: host, peer or a container ID.
ns_of() {
	case "$1" in
	host) echo "/run/netns/$SIM_HOST" ;;
	peer) echo "/run/netns/$SIM_PEER" ;;
	*) echo "$PORTMAP_STATE_DIR/netns/$1" ;;
	esac
}

in_ct() {
	local id="$1"
	shift
	nsenter --net="$(ns_of "$id")" "$@"
}

veth_of() { jq -r .host_veth "$PORTMAP_STATE_DIR/containers/$1/netns.json"; }

# serve WHERE PROTO PORT: a probe server; its log is $BATS_TEST_TMPDIR/WHERE-PROTO-PORT.log.
serve() {
	local where="$1" proto="$2" port="$3" log
	log="$(log_of "$@")"
	: >"$log"
	nsenter --net="$(ns_of "$where")" python3 "$PROBE" serve "$proto" "$port" "$log" </dev/null >/dev/null 2>&1 3>&- &
	TC_PIDS+=("$!")
	wait_until test -e "$log.ready"
}
log_of() { echo "$BATS_TEST_TMPDIR/$1-$2-$3.log"; }

# send FROM PROTO HOST PORT MSG [SPORT]: a probe client; status 0 when answered.
send() {
	local from="$1"
	shift
	nsenter --net="$(ns_of "$from")" python3 "$PROBE" send "$@"
}

# got WHERE PROTO PORT MSG: the server there logged MSG.
got() { grep -q "^$4 " "$(log_of "$1" "$2" "$3")"; }

# delivered FROM PROTO DST PORT SERVER: a fresh message from FROM reaches the
# server SERVER (a place) and the answer comes back.  With SPORT=N in the
# environment the client sends from port N.
delivered() {
	local from="$1" proto="$2" dst="$3" port="$4" server="$5" msg
	msg="m$RANDOM$RANDOM"
	send "$from" "$proto" "$dst" "$port" "$msg" ${SPORT:+"$SPORT"} || { echo "no answer: $from -> $dst:$port/$proto" >&2; return 1; }
	got "$server" "$proto" "$port" "$msg" || { echo "$server did not get $from -> $dst:$port/$proto" >&2; return 1; }
}

# not_delivered FROM PROTO DST PORT SERVER...: no answer, and none of the
# listed servers (places listening on PORT) saw the message (SPORT as above).
not_delivered() {
	local from="$1" proto="$2" dst="$3" port="$4" msg s
	shift 4
	msg="m$RANDOM$RANDOM"
	if send "$from" "$proto" "$dst" "$port" "$msg" ${SPORT:+"$SPORT"} 2>/dev/null; then
		echo "unexpected answer: $from -> $dst:$port/$proto" >&2
		return 1
	fi
	for s in "$@"; do
		if got "$s" "$proto" "$port" "$msg"; then
			echo "$s got $from -> $dst:$port/$proto" >&2
			return 1
		fi
	done
}

# Every tc object in the simulated host and in container IDs: qdiscs and filters.
tc_dump() {
	local dev id
	in_host tc qdisc show | grep -v noqueue || true
	for dev in $(in_host ip -o link | awk -F': ' '{ print $2 }' | cut -d@ -f1); do
		in_host tc filter show dev "$dev" ingress 2>/dev/null | sed "s/^/$dev: /"
	done
	for id in "$@"; do
		[ -e "$(ns_of "$id")" ] || continue
		in_ct "$id" tc qdisc show | grep -v noqueue | sed "s/^/$id: /" || true
		for dev in lo eth0; do in_ct "$id" tc filter show dev "$dev" ingress 2>/dev/null | sed "s/^/$id $dev: /"; done
	done
}

# No filter anywhere redirects or mirrors to device NAME.
nothing_points_to() { ! tc_dump | grep -q "device $1)"; }

# tc_refused STATUS REGEX ARGS...: helpers' `command_refused` for pm-tc ARGS (one
# error line, nothing on stdout, state dir unchanged), and no tc object changed.
tc_refused() {
	local expected="$1" regex="$2" before_tc
	shift 2
	before_tc="$(tc_dump c1 c2 c3 | sha256sum)"
	REFUSED_BY=pm-tc command_refused "$expected" "$regex" pmtc "$@" || return 1
	[ "$(tc_dump c1 c2 c3 | sha256sum)" = "$before_tc" ] || { echo "pm-tc $*: tc objects changed" >&2; return 1; }
}
