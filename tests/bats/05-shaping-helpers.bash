# Helpers for the shaping Bats files (050-059).  Load after `load helpers` and
# `load 04-tc-helpers`.
#
# Rates are measured on frame bytes from interface counters (HTB counts whole
# frames, kernel-notes note 7): the container's eth0 tx for egress, the host
# veth tx for ingress, over a bulk iperf3 transfer with the peer.

PEER=198.51.100.1
IPERF_PORT=5201

shaping_setup() {
	tc_setup
	tc_attached
	container c1 31000-31009
}

# frame_bytes egress|ingress ID: the counter that carries that direction's frames.
frame_bytes() {
	if [ "$1" = egress ]; then
		in_ct "$2" ip -j -s link show eth0 | jq '.[0].stats64.tx.bytes'
	else
		in_host ip -j -s link show "$(veth_of "$2")" | jq '.[0].stats64.tx.bytes'
	fi
}

now() { date +%s.%N; }

# iperf_server: a one-shot iperf3 server on the peer.
iperf_server() {
	in_peer iperf3 -s -1 -p "$IPERF_PORT" </dev/null >/dev/null 2>&1 3>&- &
	TC_PIDS+=("$!")
	wait_until in_peer sh -c "ss -Hltn 'sport = :$IPERF_PORT' | grep -q ."
}

# measure egress|ingress ID SECONDS: bulk TCP for SECONDS (container -> peer,
# or peer -> container with -R); prints the frame rate in bit/s.
measure() {
	local dir="$1" id="$2" secs="$3" b0 b1 t0 t1 rev=""
	[ "$dir" = ingress ] && rev=-R
	iperf_server
	b0="$(frame_bytes "$dir" "$id")"
	t0="$(now)"
	in_ct "$id" iperf3 -c "$PEER" -p "$IPERF_PORT" -t "$secs" $rev >/dev/null
	t1="$(now)"
	b1="$(frame_bytes "$dir" "$id")"
	awk -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f\n", b * 8 / (t1 - t0) }'
}

# within_limit MEASURED LIMIT: MEASURED bit/s is at most 10% above LIMIT and at
# least a quarter of it (the shaper lets traffic through).
within_limit() {
	echo "measured $1 bit/s for a limit of $2 bit/s" >&2
	awk -v m="$1" -v l="$2" 'BEGIN { exit !(m <= l * 1.10 && m >= l / 4) }'
}

# Root qdiscs left on the container's eth0 and on its host veth (none expected: noqueue).
shaper_qdiscs() {
	{
		in_ct "$1" tc qdisc show dev eth0
		in_host tc qdisc show dev "$(veth_of "$1")"
	} | grep -v -e noqueue -e ingress || true
}

# window egress|ingress ID SECONDS: the frame rate (bit/s) of traffic already
# flowing, over the next SECONDS.  Unlike measure, the counter is read before
# the clock at both ends: traffic still flows while frame_bytes runs (slowly,
# in the qemu lane), so bytes and time must span the same interval.
window() {
	local b0 b1 t0 t1
	b0="$(frame_bytes "$1" "$2")"
	t0="$(now)"
	sleep "$3"
	b1="$(frame_bytes "$1" "$2")"
	t1="$(now)"
	awk -v b="$((b1 - b0))" -v t0="$t0" -v t1="$t1" 'BEGIN { printf "%.0f\n", b * 8 / (t1 - t0) }'
}

# bulk_start egress|ingress ID SECONDS: a bulk transfer in the background; sets BULK.
bulk_start() {
	local rev=""
	[ "$1" = ingress ] && rev=-R
	iperf_server
	in_ct "$2" iperf3 -c "$PEER" -p "$IPERF_PORT" -t "$3" $rev </dev/null >"$BATS_TEST_TMPDIR/bulk.log" 2>&1 3>&- &
	BULK=$!
	TC_PIDS+=("$BULK")
	sleep 1
}

# above A B: A > B (bit/s), said on failure.
above() { [ "$1" -gt "$2" ] || { echo "$1 bit/s is not above $2 bit/s" >&2; return 1; }; }
