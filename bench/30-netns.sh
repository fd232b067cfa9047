#!/bin/sh
# bench/30-netns.sh: pm-netns create+destroy next to a hand-written ip/sysctl
# shell script doing the same per-container work (namespace, veth pair with
# the host MAC/MTU, lo and eth0 inside, address, default route, port range,
# accept_local/route_localnet, tuning, IPv6 off, host-wide sysctls), and the
# create time with 0 versus 100 existing containers.
# Everything runs inside a simulated host (netns pmt-bh-TAG wired to a peer;
# one nsenter for the whole measurement, so neither side pays one per
# command) on a scratch state dir on tmpfs, like /run/portmap.  The two ways
# are measured interleaved (tool, script, tool, script, ...), so load
# elsewhere on the machine hits both alike; figures are medians.  Never fails
# on numbers.
set -eu
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # EPOCHREALTIME: timing without forking

ROUNDS="${PM_BENCH_NETNS_ROUNDS:-15}"
EXISTING=100
HOST_IP=198.51.100.10
PEER_IP=198.51.100.1
TAG="${PM_BENCH_NETNS_TAG:-$$}"
H="pmt-bh-$TAG"
P="pmt-bp-$TAG"

# ---- the two ways, run inside the simulated host -------------------------

# The script: what pm-netns create/destroy do, with ip, sysctl (and ethtool).
script_create() {
	local ns="pmt-bs-$TAG-$1" veth="pms$1" lo hi
	read -r lo hi <<<"$S_RANGE"
	ip netns add "$ns"
	ip link add "$veth" address "$MAC" mtu "$MTU" type veth peer name eth0 address "$MAC" mtu "$MTU" netns "$ns"
	sysctl -q -w "net.ipv6.conf.$veth.disable_ipv6=1"
	ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	[ "$HAVE_ETHTOOL" = 0 ] || ip netns exec "$ns" ethtool -K eth0 rx off
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$HOST_IP/24" dev eth0
	ip -n "$ns" route add default via "$PEER_IP"
	ip netns exec "$ns" sysctl -q -w "net.ipv4.ip_local_port_range=$lo $hi" net.ipv4.conf.eth0.accept_local=1 \
		net.ipv4.conf.lo.accept_local=1 net.ipv4.conf.lo.route_localnet=1 net.core.somaxconn=4096 \
		net.ipv4.tcp_keepalive_time=7200 net.ipv4.tcp_rmem="4096 131072 6291456" net.ipv4.tcp_wmem="4096 16384 4194304"
	ip -n "$ns" link set lo address "$MAC" mtu "$MTU" up
	ip link set "$veth" up
	sysctl -q -w net.ipv4.conf.lo.route_localnet=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 \
		net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.lo.send_redirects=0 net.ipv4.conf.lo.accept_local=1
}
script_destroy() {
	ip link del "pms$1"
	ip netns del "pmt-bs-$TAG-$1"
}
tool_create() { pm-netns create "$1"; }
tool_destroy() { pm-netns destroy "$1"; }

# timed VAR CMD...: run CMD, append its wall time in ms to the array VAR.
timed() {
	local var="$1" t0 t1
	shift
	t0="$EPOCHREALTIME"
	"$@" >/dev/null
	t1="$EPOCHREALTIME"
	eval "$var+=(\"$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')\")"
}
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One round: create and destroy, each timed, with each way, interleaved.
round() {
	timed "tool_c_$1" tool_create t
	timed "tool_d_$1" tool_destroy t
	timed "script_c_$1" script_create s
	timed "script_d_$1" script_destroy s
}

measure() {
	tool_c_0=() tool_d_0=() script_c_0=() script_d_0=()
	tool_c_100=() tool_d_100=() script_c_100=() script_d_100=()
	round 0  # warm-up (page cache, the first host-wide settings), not counted
	tool_c_0=() tool_d_0=() script_c_0=() script_d_0=()
	for _ in $(seq "$ROUNDS"); do round 0; done
	for c in $(seq -f 'c%03g' 1 "$EXISTING"); do tool_create "$c" >/dev/null; done
	for _ in $(seq "$ROUNDS"); do round 100; done
	local existing
	existing="$(pm-netns --json list | grep -c '"id"')"

	echo "pm-netns vs an ip/sysctl script in the same host namespace, median of $ROUNDS interleaved rounds, ms"
	[ "$HAVE_ETHTOOL" = 1 ] || echo "(ethtool is not installed: the script skips 'ethtool -K eth0 rx off', which flatters it)"
	awk -v tc0="$(median "${tool_c_0[@]}")" -v td0="$(median "${tool_d_0[@]}")" \
		-v sc0="$(median "${script_c_0[@]}")" -v sd0="$(median "${script_d_0[@]}")" \
		-v tc100="$(median "${tool_c_100[@]}")" -v td100="$(median "${tool_d_100[@]}")" \
		-v sc100="$(median "${script_c_100[@]}")" -v sd100="$(median "${script_d_100[@]}")" -v n="$existing" 'BEGIN {
		printf "%-36s %10s %10s %10s\n", "", "pm-netns", "script", "script/pm"
		row = "%-36s %10.2f %10.2f %9.1fx\n"
		printf row, "create+destroy, 0 containers", tc0 + td0, sc0 + sd0, (sc0 + sd0) / (tc0 + td0)
		printf row, "  create", tc0, sc0, sc0 / tc0
		printf row, "  destroy", td0, sd0, sd0 / td0
		printf row, "create+destroy, " n " containers", tc100 + td100, sc100 + sd100, (sc100 + sd100) / (tc100 + td100)
		printf row, "  create", tc100, sc100, sc100 / tc100
		printf row, "  destroy", td100, sd100, sd100 / td100
		printf "%-36s %9.2fx %9.2fx\n", "create growth, " n " vs 0 containers", tc100 / tc0, sc100 / sc0
	}'
	echo "(destroy is bound by the kernel's veth unregistration, which waits for RCU, on both sides)"
}

if [ "${PM_BENCH_NETNS_INNER:-}" = 1 ]; then
	measure
	exit
fi

# ---- set-up and clean-up, outside ----------------------------------------

tmp=/tmp
[ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] && tmp=/dev/shm
tmp="$(mktemp -d "$tmp/pm-bench-netns.XXXXXX")"
export PORTMAP_STATE_DIR="$tmp/state"
in_host() { nsenter --net="/run/netns/$H" "$@"; }

cleanup() {
	set +e
	if [ -d "$PORTMAP_STATE_DIR/netns" ]; then
		for h in "$PORTMAP_STATE_DIR"/netns/*; do [ -e "$h" ] && umount -l "$h"; done
		umount -l "$PORTMAP_STATE_DIR/netns"
	fi
	for ns in $(ip netns list | awk '{print $1}' | grep "^pmt-bs-$TAG-"); do ip netns del "$ns"; done
	ip netns del "$P" 2>/dev/null
	ip netns del "$H" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

ip netns add "$H"
ip netns add "$P"
ip -n "$H" link add eth0 type veth peer name eth0 netns "$P"
ip -n "$H" link set lo up
ip -n "$P" link set lo up
ip -n "$H" addr add "$HOST_IP/24" dev eth0
ip -n "$P" addr add "$PEER_IP/24" dev eth0
ip -n "$H" link set eth0 up
ip -n "$P" link set eth0 up
ip -n "$H" route add default via "$PEER_IP"
in_host sh -c 'echo "32768 60999" > /proc/sys/net/ipv4/ip_local_port_range'

# 128 blocks of 64 ports: the 100 existing containers plus the measured ones.
in_host pm-alloc init --ephemeral-ports 20480-28671 --per-container 64 >/dev/null
for c in t s $(seq -f 'c%03g' 1 "$EXISTING"); do in_host pm-alloc allocate "$c" >/dev/null; done

MAC="$(ip -n "$H" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')"
MTU="$(ip -n "$H" -o link show eth0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')"
S_RANGE="$(in_host pm-alloc --json show s | tr -d ' \n' |
	sed -n 's/.*"ephemeral_ports":{"begin":\([0-9]*\),"end":\([0-9]*\)}.*/\1 \2/p')"
HAVE_ETHTOOL=0
command -v ethtool >/dev/null && HAVE_ETHTOOL=1
export MAC MTU S_RANGE HAVE_ETHTOOL ROUNDS
PM_BENCH_NETNS_INNER=1 PM_BENCH_NETNS_TAG="$TAG" in_host bash "$0"
