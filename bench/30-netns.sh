#!/bin/sh
# bench/30-netns.sh: pm-netns create+destroy next to a hand-written ip/sysctl
# shell script doing the same per-container work (namespace, veth pair with
# the host MAC/MTU, lo and eth0 inside, address, default route, port range,
# accept_local/route_localnet, tuning, IPv6 off, host-wide sysctls), on a
# simulated host with 0 and one with 100 existing containers.
# Each host is a netns (pmt-bhN-TAG wired to a peer) with its own state dir
# on tmpfs, like /run/portmap.  The timing driver (bench/host-steps.py) runs
# inside the hosts itself, as a scheduler runs on its host: it joins the
# step's host with setns (not timed) and execs the step directly: pm-netns,
# or the script's create as one bash, or the script's destroy as its two
# commands (`ip link del VETH`, which waits for the veth, then `ip netns
# del NS`); no nsenter or extra shell in either column.  Everything is
# measured interleaved (tool and script, on both hosts, in rotating order),
# so load elsewhere on the machine hits all alike; figures are medians.
# Both destroys make the veth's deletion certain: pm-netns returns once the
# kernel's namespace cleanup has it (or after deleting it itself when
# anything still holds the namespace); the script deletes it.  Two more
# ways, each with its own container: `destroy --sync` (returns once the veth
# is gone, like the script's), and the script's lazy form (create + `ip
# netns del NS` only, which leaves the veth to the kernel's namespace
# cleanup, and to whoever still holds the namespace: no deletion guaranteed;
# a new name each round since the old veth may still exist).  In each round all ways create, then all destroy, so every
# namespace lives a little before its destroy, as a container does: a destroy
# right after the create would also wait one RCU grace period for the sockets
# the create used inside to be freed (any implementation's, the script's too).
# Floors make the ratios interpretable: an nsenter of /bin/true (the start-up
# every operation here pays), and the kernel's part alone (unshare + veth
# pair, then its deletion either way) in one process (30-netns-floor.c).
# Never fails on numbers.
set -eu
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@"  # EPOCHREALTIME: timing without forking

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/sim-host.sh
. "$here/../scripts/sim-host.sh"

ROUNDS="${PM_BENCH_NETNS_ROUNDS:-15}"
EXISTING=100
TAG=$$
SIZES="0 $EXISTING"

tmp="$(sim_tmpdir pm-bench-netns)"

host_of() { echo "pmt-bh$1-$TAG"; }
peer_of() { echo "pmt-bp$1-$TAG"; }
state_of() { echo "$tmp/s$1"; }
in_host() { local n="$1"; shift; PORTMAP_STATE_DIR="$(state_of "$n")" nsenter --net="/run/netns/$(host_of "$n")" "$@"; }

cleanup() {
	set +e
	for n in $SIZES; do
		local st
		st="$(state_of "$n")"
		if [ -d "$st/netns" ]; then
			for h in "$st"/netns/*; do [ -e "$h" ] && umount -l "$h"; done
			umount -l "$st/netns"
		fi
		sim_host_del "$(host_of "$n")" "$(peer_of "$n")"
	done
	for ns in $(ip netns list | awk '{print $1}' | grep "^pmt-bs-$TAG-"); do ip netns del "$ns"; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The script: what pm-netns create does, with ip, sysctl (and ethtool), run
# by one bash inside the host.  Arguments: NS VETH MAC MTU "LO HI" ETHTOOL.
SCRIPT_CREATE='
set -e
ns=$1 veth=$2 mac=$3 mtu=$4 range=$5 have_ethtool=$6
ip netns add "$ns"
ip link add "$veth" address "$mac" mtu "$mtu" type veth peer name eth0 address "$mac" mtu "$mtu" netns "$ns"
sysctl -q -w "net.ipv6.conf.$veth.disable_ipv6=1"
ip netns exec "$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
[ "$have_ethtool" = 0 ] || ip netns exec "$ns" ethtool -K eth0 rx off
ip -n "$ns" link set eth0 up
ip -n "$ns" addr add '"$SIM_HOST_IP/$SIM_PREFIX"' dev eth0
ip -n "$ns" route add default via '"$SIM_PEER_IP"'
ip netns exec "$ns" sysctl -q -w "net.ipv4.ip_local_port_range=$range" net.ipv4.conf.eth0.accept_local=1 \
	net.ipv4.conf.lo.accept_local=1 net.ipv4.conf.lo.route_localnet=1 net.core.somaxconn=4096 \
	net.ipv4.tcp_keepalive_time=7200 "net.ipv4.tcp_rmem=4096 131072 6291456" "net.ipv4.tcp_wmem=4096 16384 4194304"
ip -n "$ns" link set lo address "$mac" mtu "$mtu" up
ip link set "$veth" up
sysctl -q -w net.ipv4.conf.lo.route_localnet=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 \
	net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.lo.send_redirects=0 net.ipv4.conf.lo.accept_local=1
'
printf '%s\n' "$SCRIPT_CREATE" >"$tmp/create.sh"

have_ethtool=0
command -v ethtool >/dev/null && have_ethtool=1
declare -A MAC MTU RANGE

setup_host() {
	local n="$1" h p
	h="$(host_of "$n")"
	p="$(peer_of "$n")"
	sim_host_add "$h" "$p"
	MAC[$n]="$(ip -n "$h" -o link show eth0 | sed -n 's/.*link\/ether \([0-9a-f:]*\).*/\1/p')"
	MTU[$n]="$(ip -n "$h" -o link show eth0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')"
	# 128 blocks of 64 ports: the existing containers plus the two measured ones.
	in_host "$n" pm-alloc init --ephemeral-ports 20480-28671 --per-container 64 >/dev/null
	local c
	for c in t y s $(seq -f 'c%03g' 1 "$n"); do in_host "$n" pm-alloc allocate "$c" >/dev/null; done
	RANGE[$n]="$(in_host "$n" pm-alloc --json show s | tr -d ' \n' |
		sed -n 's/.*"ephemeral_ports":{"begin":\([0-9]*\),"end":\([0-9]*\)}.*/\1 \2/p')"
	for c in $(seq -f 'c%03g' 1 "$n"); do in_host "$n" pm-netns create "$c"; done
	# The host-wide settings are made once by the first create: make them now.
	in_host "$n" pm-netns create t
	in_host "$n" pm-netns destroy t
}

# step KEY N CMD...: a line of the driver's plan (bench/host-steps.py).
step() {
	local key="$1" n="$2" IFS=$'\t'
	shift 2
	printf '%s\n' "$key	/run/netns/$(host_of "$n")	0	PORTMAP_STATE_DIR=$(state_of "$n")	$*" >>"$plan"
}
script_create() { # N NS VETH
	step "$4-c-$1" "$1" "bash $tmp/create.sh $2 $3 ${MAC[$1]} ${MTU[$1]} '${RANGE[$1]}' $have_ethtool"
}

for n in $SIZES; do setup_host "$n"; done
plan="$tmp/plan"
: >"$plan"
ways=(tool script sync slazy start)
for r in $(seq "$ROUNDS"); do
	for n in $SIZES; do
		sn="pmt-bs-$TAG-$n" ln="pmt-bs-$TAG-$n-l$r"
		# Rotate which way goes first, so none always follows another.
		for i in 0 1 2 3 4; do
			case "${ways[$(((r + i) % 5))]}" in
			tool) step "tool-c-$n" "$n" "pm-netns create t" ;;
			sync) step "sync-c-$n" "$n" "pm-netns create y" ;;
			script) script_create "$n" "$sn" pms script ;;
			slazy) script_create "$n" "$ln" "pmsl$r" slazy ;;
			start) step "start-c-$n" "$n" /bin/true ;;
			esac
		done
		for i in 0 1 2 3 4; do
			case "${ways[$(((r + i + 2) % 5))]}" in
			tool) step "tool-d-$n" "$n" "pm-netns destroy t" ;;
			sync) step "sync-d-$n" "$n" "pm-netns destroy --sync y" ;;
			script) step "script-d-$n" "$n" "ip link del pms" "ip netns del $sn" ;;
			slazy) step "slazy-d-$n" "$n" "ip netns del $ln" ;;
			start) step "nsenter-c-$n" "$n" "nsenter --net=/run/netns/$(host_of "$n") /bin/true" ;;
			esac
		done
	done
done
declare -A M  # median ms by name (bench/host-steps.py)
args=()
while read -r name ms; do M[$name]=$ms; args+=(-v "$name=$ms"); done < <(python3 "$here/host-steps.py" "$plan")
[ -n "${M[start_c_0]:-}" ] || { echo "30-netns: the timing driver failed" >&2; exit 1; }
existing="$(in_host "$EXISTING" pm-netns --json list | grep -c '"id"')"

# The kernel's part alone, in the host without containers (its veth is pmfloor0).
floor="$here/30-netns-floor.c"
kernel=""
if command -v cc >/dev/null && cc -O2 -o "$tmp/floor" "$floor" 2>"$tmp/floor.err"; then
	kernel="$(in_host 0 "$tmp/floor" "$ROUNDS")"
fi
set -- $kernel
k_create="${1:-}" k_sync="${2:-}" k_async="${3:-}"

echo "pm-netns vs an ip/sysctl script, timed from inside the host (no nsenter), median of $ROUNDS interleaved rounds, ms"
echo "(create: pm-netns create / one 'bash create.sh'; destroy: pm-netns destroy / 'ip link del VETH' + 'ip netns del NS':"
echo " both make the veth's deletion certain, pm-netns by leaving it to the kernel's namespace cleanup when nothing else"
echo " holds the namespace; --sync: both return once the veth is gone)"
[ "$have_ethtool" = 1 ] || echo "(ethtool is not installed: the script skips 'ethtool -K eth0 rx off', which flatters it)"
awk "${args[@]}" -v n="$existing" -v kc="$k_create" -v ks="$k_sync" -v ka="$k_async" '
function row(label, pm, sc) { printf "%-40s %10.2f %10.2f %9.1fx\n", label, pm, sc, sc / pm }
function block(s, tc, td, yc, yd, sc, sd, slc, sld) {
	row("create+destroy, " s " containers", tc + td, sc + sd)
	row("  create", tc, sc)
	row("  destroy", td, sd)
	row("create+destroy --sync, " s " containers", yc + yd, sc + sd)
	row("  destroy --sync (waits for the veth)", yd, sd)
	row("  vs the script, lazy form (*)", tc + td, slc + sld)
}
BEGIN {
	printf "%-40s %10s %10s %10s\n", "", "pm-netns", "script", "script/pm"
	block(0, tool_c_0, tool_d_0, sync_c_0, sync_d_0, script_c_0, script_d_0, slazy_c_0, slazy_d_0)
	block(n, tool_c_100, tool_d_100, sync_c_100, sync_d_100, script_c_100, script_d_100, slazy_c_100, slazy_d_100)
	printf "%-40s %9.2fx %9.2fx\n", "create time, " n " vs 0 containers", tool_c_100 / tool_c_0, script_c_100 / script_c_0
	sc = script_c_0; sd = script_d_0; sld = slazy_d_0
	st = (start_c_0 + start_c_100) / 2
	print ""
	print "floors, ms (what any implementation pays here):"
	printf "  %-58s %8.2f\n", "exec of /bin/true from the driver (every command pays one)", st
	printf "  %-58s %8.2f\n", "an nsenter into the host + /bin/true (no step above pays it)", (nsenter_c_0 + nsenter_c_100) / 2
	if (kc == "") { print "  (kernel floors not measured: no C compiler)"; exit }
	printf "  %-58s %8.2f\n", "kernel: unshare + veth pair into it (create)", kc
	printf "  %-58s %8.2f\n", "kernel: RTM_DELLINK until answered (what ip link del waits)", ks
	printf "  %-58s %8.2f\n", "kernel: last fd closed, until its cleanup took the veth", ka
	print "best script/pm ratios these floors allow, 0 containers (script / (exec + kernel)):"
	printf "  %-58s %7.1fx\n", "create", sc / (st + kc)
	printf "  %-58s %7.1fx\n", "create+destroy (the kernel cleanup runs after)", (sc + sd) / (2 * st + kc)
	print "(destroy --sync deletes the veth and returns once the kernel has unlisted it, well before the kernel"
	print " answers the request; a child process waits for that answer)"
	print "(*) create.sh + `ip netns del NS` only: quicker, but the veth stays whenever anything else holds the"
	print "    namespace (an fd, a mount, a socket); pm-netns destroy checks for that and then deletes the veth itself"
}'
