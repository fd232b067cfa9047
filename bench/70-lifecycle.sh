#!/bin/sh
# bench/70-lifecycle.sh: the full lifecycle of one container with the tools
# (pm-alloc allocate + pm-netns create + pm-tc attach, then pm-tc detach +
# pm-netns destroy + pm-alloc release) next to a hand-written ip/tc/sysctl
# script doing the same steps: a record of its ports, the namespace and veth
# pair with the host's MAC, address, route and sysctls inside (the host's TCP
# tuning replayed, as pm-netns does), and the same u32 steering filters as
# pm-tc (mesos-port-mapping.md 1.4: sport filters on the veth, dport filters
# on host eth0 and lo, ARP/ICMP copies, lo/eth0 filters inside), one tc
# command per object as Mesos's launch script does;
# teardown finds the host filters that point at the veth and deletes them.
# Four simulated hosts (scripts/sim-host.sh): tools and script, each with 0
# and with 100 existing containers made the same way.  The timing driver
# (bench/host-steps.py) runs inside the hosts itself, as a scheduler runs on
# its host: it joins a step's host with setns (not timed) and execs the step
# directly, the three tools one after the other for the tools, one bash
# running the script for the script; no nsenter or extra shell in either.
# Teardown: pm-netns destroy returns once the veth's deletion is certain (the
# kernel's namespace cleanup has it, or destroy deleted it because something
# still held the namespace); the script deletes the veth with `ip link del`,
# which waits, then does `ip netns del`.  Also measured, each with its own
# container: destroy --sync (returns once the veth is gone, as the script's
# teardown does), and the script's lazy teardown (`ip netns del` only, which
# leaves the veth to the kernel's cleanup and to whatever still holds the
# namespace: no deletion guaranteed).
# Everything is measured interleaved in rotating
# order, so load elsewhere hits all alike; figures are medians.  The tools
# also set rx checksumming off with an ethtool ioctl, which the script skips
# when ethtool is not installed (flattering the script).  Never fails on numbers.
set -eu
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@" # EPOCHREALTIME: timing without forking

ROUNDS="${PM_BENCH_LIFE_ROUNDS:-11}"
EXISTING="${PM_BENCH_LIFE_EXISTING:-100}"
SETTLE="${PM_BENCH_LIFE_SETTLE:-0.2}" # seconds of quiet before each measured step
TAG=$$
SIZES="0 $EXISTING"
here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/sim-host.sh
. "$here/../scripts/sim-host.sh"

tmp="$(sim_tmpdir pm-bench-life)"

# Host W-N: way W (t = tools, s = script) with N existing containers.
host_of() { echo "pmt-blh$1$2-$TAG"; }
peer_of() { echo "pmt-blp$1$2-$TAG"; }
state_of() { echo "$tmp/$1$2"; }
in_host() {
	local w="$1" n="$2"
	shift 2
	PORTMAP_STATE_DIR="$(state_of "$w" "$n")" nsenter --net="/run/netns/$(host_of "$w" "$n")" "$@"
}

cleanup() {
	set +e
	local n ns
	for n in $SIZES; do
		sim_state_release "$(state_of t "$n")"
		sim_host_del "$(host_of t "$n")" "$(peer_of t "$n")"
		sim_host_del "$(host_of s "$n")" "$(peer_of s "$n")"
	done
	for ns in $(ls /run/netns 2>/dev/null | grep "^pmt-blc-$TAG-"); do ip netns del "$ns"; done
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

have_ethtool=0
command -v ethtool >/dev/null && have_ethtool=1

# The script, once per host: what pm-tc setup and pm-netns's first create do.
SCRIPT_HOST='
set -e
tc qdisc add dev eth0 ingress
tc qdisc add dev lo ingress
sysctl -q -w net.ipv4.conf.lo.route_localnet=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.lo.rp_filter=0 \
	net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.lo.send_redirects=0 net.ipv4.conf.lo.accept_local=1
ip link set lo address "$(ip -o link show eth0 | sed -n "s/.*link\/ether \([0-9a-f:]*\).*/\1/p")"
'

# The script, per container: up ID INDEX / down ID, run by one bash inside the
# host.  INDEX picks its ephemeral block (64 ports) and its port (31000+INDEX).
SCRIPT='
set -e
cmd=$1 id=$2 idx=${3:-0}
ns=pmt-blc-'"$TAG"'-$HOSTTAG-$id veth=pmb-$id state='"$tmp"'/script-$HOSTTAG-$id.json
host_ip='"$SIM_HOST_IP"' gw='"$SIM_PEER_IP"'
if [ "$cmd" = up ]; then
	eph=$((20480 + idx * 64)) port=$((31000 + idx))
	# allocate: a record of the ports (pm-alloc writes one JSON file too)
	printf "{\"id\":\"%s\",\"ephemeral\":[%d,%d],\"ports\":[%d]}\n" "$id" "$eph" "$((eph + 63))" "$port" >"$state"
	# create: namespace, veth pair with the host MAC, lo and eth0 inside
	read -r mac mtu < <(ip -o link show eth0 | sed -n "s/.* mtu \([0-9]*\).*link\/ether \([0-9a-f:]*\).*/\2 \1/p")
	ip netns add "$ns"
	ip link add "$veth" address "$mac" mtu "$mtu" type veth peer name eth0 address "$mac" mtu "$mtu" netns "$ns"
	sysctl -q -w "net.ipv6.conf.$veth.disable_ipv6=1"
	nsenter --net="/run/netns/$ns" sysctl -q -w net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	[ '"$have_ethtool"' = 0 ] || nsenter --net="/run/netns/$ns" ethtool -K eth0 rx off
	ip -n "$ns" link set eth0 up
	ip -n "$ns" addr add "$host_ip/24" dev eth0
	ip -n "$ns" route add default via "$gw"
	# the host TCP tuning replayed inside, as pm-netns does (the keys a namespace has of its own)
	tuning=()
	for k in core.somaxconn ipv4.tcp_ecn ipv4.tcp_ecn_fallback ipv4.tcp_keepalive_time ipv4.tcp_keepalive_intvl \
		ipv4.tcp_keepalive_probes ipv4.tcp_max_syn_backlog ipv4.tcp_rmem ipv4.tcp_wmem ipv4.tcp_retries2 ipv4.tcp_synack_retries; do
		read -r v <"/proc/sys/net/${k//.//}" && tuning+=("net.$k=$v")
	done
	nsenter --net="/run/netns/$ns" sysctl -q -w "net.ipv4.ip_local_port_range=$eph $((eph + 63))" \
		net.ipv4.conf.eth0.accept_local=1 net.ipv4.conf.lo.accept_local=1 net.ipv4.conf.lo.route_localnet=1 "${tuning[@]}"
	ip -n "$ns" link set lo address "$mac" mtu "$mtu" up
	ip link set "$veth" up
	# attach: veth first, then inside, then host eth0/lo (pm-tc order)
	f="filter add dev"
	ing="parent ffff: protocol ip"
	tc qdisc add dev "$veth" ingress
	for r in "$eph 0xffc0" "$port 0xffff"; do
		set -- $r
		tc $f "$veth" $ing prio 771 u32 match ip sport $1 $2 action mirred egress redirect dev eth0
		tc $f "$veth" $ing prio 770 u32 match ip sport $1 $2 match ip dst "$host_ip/32" action mirred egress redirect dev lo
		tc $f "$veth" $ing prio 770 u32 match ip sport $1 $2 match ip dst 127.0.0.1/32 action mirred egress redirect dev lo
	done
	tc $f "$veth" $ing prio 514 u32 match ip protocol 1 0xff action mirred egress redirect dev eth0
	tc $f "$veth" parent ffff: protocol arp prio 258 u32 match u32 0 0 action mirred egress redirect dev eth0
	tc -n "$ns" qdisc add dev lo ingress
	tc -n "$ns" qdisc add dev eth0 ingress
	for dst in "$host_ip" 127.0.0.1; do
		tc -n "$ns" $f lo $ing prio 770 u32 match ip dst "$dst/32" action mirred egress redirect dev eth0
		tc -n "$ns" $f lo $ing prio 514 u32 match ip protocol 1 0xff match ip dst "$dst/32" flowid ffff:0
	done
	for r in "$eph 0xffc0" "$port 0xffff"; do
		set -- $r
		tc -n "$ns" $f lo $ing prio 769 u32 match ip dport $1 $2 flowid ffff:0
		tc -n "$ns" $f eth0 $ing prio 770 u32 match ip dst 127.0.0.1/32 match ip dport $1 $2 action mirred egress redirect dev lo
		tc $f eth0 $ing prio 770 u32 match ip dst "$host_ip/32" match ip dport $1 $2 action mirred egress redirect dev "$veth"
		tc $f lo $ing prio 770 u32 match ip dport $1 $2 action mirred egress redirect dev "$veth"
	done
	tc $f eth0 parent ffff: protocol arp prio 258 u32 match u32 0 0 action mirred egress mirror dev "$veth" continue
	tc $f eth0 $ing prio 514 u32 match ip protocol 1 0xff match ip dst "$host_ip/32" action mirred egress mirror dev "$veth" continue
else
	# detach: the host filters that point at the veth (the kernel picked their handles)
	for dev in eth0 lo; do
		tc filter show dev $dev ingress | awk -v want="device $veth)" "
			/^filter .* fh / { for (i = 1; i < NF; i++) { if (\$i == \"pref\") p = \$(i + 1); if (\$i == \"fh\") h = \$(i + 1); if (\$i == \"protocol\") pr = \$(i + 1) } }
			index(\$0, want) { print pr, p, h }" |
		while read -r pr p h; do tc filter del dev $dev parent ffff: protocol "$pr" prio "$p" handle "$h" u32; done
	done
	# destroy (the veth takes its own and the container filters with it), release;
	# downlazy leaves the veth to the namespace cleanup, and to whatever holds it
	[ "$cmd" = downlazy ] || ip link del "$veth"
	ip netns del "$ns"
	rm -f "$state"
fi
'
printf '%s\n' "$SCRIPT" >"$tmp/script.sh"
by_script() { local n="$1"; shift; in_host s "$n" env HOSTTAG="$n" bash "$tmp/script.sh" "$@"; }

TOOL_UP='pm-alloc allocate "$1" --ports "$2" && pm-netns create "$1" && pm-tc attach "$1"'
TOOL_DOWN='pm-tc detach "$1" && pm-netns destroy "$1" && pm-alloc release "$1"'
by_tools() {
	local n="$1" cmd="$2"
	shift 2
	if [ "$cmd" = up ]; then in_host t "$n" sh -c "$TOOL_UP" sh "$@"; else in_host t "$n" sh -c "$TOOL_DOWN" sh "$@"; fi
}

setup() {
	local n="$1" i
	sim_host_add "$(host_of t "$n")" "$(peer_of t "$n")"
	sim_host_add "$(host_of s "$n")" "$(peer_of s "$n")"
	# 128 blocks of 64 ports: the existing containers plus the measured one.
	in_host t "$n" pm-alloc init --ephemeral-ports 20480-28671 --per-container 64 --ports 31000-31999 >/dev/null
	in_host t "$n" pm-tc setup >/dev/null
	in_host s "$n" bash -c "$SCRIPT_HOST"
	for ((i = 0; i < n; i++)); do
		by_tools "$n" up "c$i" $((31000 + i)) >/dev/null
		by_script "$n" up "c$i" "$i"
	done
	# pm-netns's host-wide settings are made by its first create: not measured.
	by_tools "$n" up m 31999 >/dev/null
	by_tools "$n" down m >/dev/null
}

# step KEY WAY N SETTLE CMD...: a line of the driver's plan (bench/host-steps.py).
step() {
	local key="$1" w="$2" n="$3" settle="$4" env IFS=$'\t'
	shift 4
	env="HOSTTAG=$n"
	[ "$w" = s ] || env="PORTMAP_STATE_DIR=$(state_of "$w" "$n")"
	printf '%s\n' "$key	/run/netns/$(host_of "$w" "$n")	$settle	$env	$*" >>"$plan"
}

for n in $SIZES; do setup "$n"; done
plan="$tmp/plan"
: >"$plan"
ways=(tools script)
sc="bash $tmp/script.sh"
for r in $(seq "$ROUNDS"); do
	for n in $SIZES; do
		k=0
		[ "$n" = 0 ] || k=N
		# Rotate which way goes first, so neither always follows the other.
		for i in 0 1; do
			w="${ways[$(((r + i) % 2))]}"
			# Let the kernel finish the previous step's deferred work (a deleted
			# namespace is cleaned up by a worker), so it is not billed to this one.
			if [ "$w" = tools ]; then
				step "tools-u-$k" t "$n" "$SETTLE" "pm-alloc allocate m --ports 31999" "pm-netns create m" "pm-tc attach m"
				step "tools-d-$k" t "$n" "$SETTLE" "pm-tc detach m" "pm-netns destroy m" "pm-alloc release m"
				step "tools-lu-$k" t "$n" "$SETTLE" "pm-alloc allocate l$r --ports 31999" "pm-netns create l$r" "pm-tc attach l$r"
				step "tools-ld-$k" t "$n" "$SETTLE" "pm-tc detach l$r" "pm-netns destroy --sync l$r" "pm-alloc release l$r"
			else
				step "script-u-$k" s "$n" "$SETTLE" "$sc up m 127"
				step "script-d-$k" s "$n" "$SETTLE" "$sc down m"
				step "script-lu-$k" s "$n" "$SETTLE" "$sc up l$r 127"
				step "script-ld-$k" s "$n" "$SETTLE" "$sc downlazy l$r"
			fi
		done
	done
	step floor t 0 "$SETTLE" /bin/true
	step floornsenter t 0 "$SETTLE" "nsenter --net=/run/netns/$(host_of t 0) /bin/true"
done
declare -A M  # median ms by name (bench/host-steps.py)
args=()
while read -r name ms; do M[$name]=$ms; args+=(-v "$name=$ms"); done < <(python3 "$here/host-steps.py" "$plan")
[ -n "${M[floor]:-}" ] || { echo "70-lifecycle: the timing driver failed" >&2; exit 1; }
count_t="$(in_host t "$EXISTING" pm-alloc --json list | grep -c '"id"' || true)"
count_s="$(find "$tmp" -maxdepth 1 -name "script-$EXISTING-c*" | wc -l)"
filters_t="$(in_host t "$EXISTING" tc filter show dev eth0 ingress | grep -c '^filter .* fh [0-9a-f]*:[0-9a-f]*:[0-9a-f]' || true)"
filters_s="$(in_host s "$EXISTING" tc filter show dev eth0 ingress | grep -c '^filter .* fh [0-9a-f]*:[0-9a-f]*:[0-9a-f]' || true)"

echo "one container's lifecycle, pm-* tools vs an ip/tc/sysctl script, median of $ROUNDS interleaved rounds, ms"
echo "(timed from inside the host, no nsenter: tools = pm-alloc allocate, pm-netns create, pm-tc attach / pm-tc detach,"
echo " pm-netns destroy, pm-alloc release, each exec'd directly; script = one 'bash script.sh up|down' doing the same)"
echo "(busy hosts: $count_t containers by the tools, $filters_t filter nodes on eth0; $count_s by the script, $filters_s on eth0)"
[ "$have_ethtool" = 1 ] || echo "(ethtool is not installed: the script skips 'ethtool -K eth0 rx off', which flatters it)"
awk "${args[@]}" -v n="$EXISTING" 'BEGIN {
	printf "%-48s %10s %10s %12s\n", "", "tools", "script", "script/tools"
	row = "%-48s %10.1f %10.1f %11.1fx\n"
	for (k = 0; k <= 1; k++) {
		tu = k ? tools_u_N : tools_u_0; td = k ? tools_d_N : tools_d_0
		su = k ? script_u_N : script_u_0; sd = k ? script_d_N : script_d_0
		tlu = k ? tools_lu_N : tools_lu_0; tl = k ? tools_ld_N : tools_ld_0
		slu = k ? script_lu_N : script_lu_0; sl = k ? script_ld_N : script_ld_0
		printf row, "full lifecycle, " (k ? n : 0) " existing containers", tu + td, su + sd, (su + sd) / (tu + td)
		printf row, "  allocate+create+attach", tu, su, su / tu
		printf row, "  detach+destroy+release", td, sd, sd / td
		printf row, "full lifecycle, destroy --sync", tlu + tl, su + sd, (su + sd) / (tlu + tl)
		printf row, "  detach+destroy --sync+release", tl, sd, sd / tl
		printf row, "  vs the script, lazy teardown (*)", tu + td, slu + sl, (slu + sl) / (tu + td)
		T[k] = tu + td; S[k] = su + sd
	}
	printf "%-48s %9.2fx %9.2fx   (flat = 1.00x)\n", "full lifecycle, " n " vs 0 containers", T[1] / T[0], S[1] / S[0]
	print "target: script/tools >= 10x, flat in the number of containers"
	printf "tools, each exec, 0 / %d containers, ms:\n", n
	printf "  %-30s %6.1f / %6.1f\n", "pm-alloc allocate", tools_u_0_1, tools_u_N_1
	printf "  %-30s %6.1f / %6.1f\n", "pm-netns create", tools_u_0_2, tools_u_N_2
	printf "  %-30s %6.1f / %6.1f\n", "pm-tc attach", tools_u_0_3, tools_u_N_3
	printf "  %-30s %6.1f / %6.1f\n", "pm-tc detach", tools_d_0_1, tools_d_N_1
	printf "  %-30s %6.1f / %6.1f\n", "pm-netns destroy", tools_d_0_2, tools_d_N_2
	printf "  %-30s %6.1f / %6.1f\n", "pm-netns destroy --sync", tools_ld_0_2, tools_ld_N_2
	printf "  %-30s %6.1f / %6.1f\n", "pm-alloc release", tools_d_0_3, tools_d_N_3
}'
echo "teardown: tools 'pm-netns destroy' (the veth's deletion certain) or 'destroy --sync' (the veth gone) / script 'ip link del VETH; ip netns del NS'"
echo "(*) the script with 'ip netns del NS' only: the veth stays whenever anything else holds the namespace"
printf "floors: exec of /bin/true in the host %.2f ms; an nsenter into the host + /bin/true %.2f ms (no step above pays it)\n" \
	"${M[floor]}" "${M[floornsenter]}"
echo "(ip link del waits for the kernel's answer, which comes after an RCU barrier; pm-netns returns once the veth is unlisted)"
