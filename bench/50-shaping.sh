#!/bin/sh
# bench/50-shaping.sh: how exactly pm-tc's rate limits hold, side by side with
# the same limit done by TBF the way the CNI bandwidth plugin does it (the
# real plugin, /usr/lib/cni/bandwidth from Debian's containernetworking-plugins,
# driven with CNI_COMMAND=ADD/DEL), in one simulated host:
#   c1  a portmap container (pm-alloc, pm-netns, pm-tc attach), shaped with
#       pm-tc update --egress-rate/--ingress-rate (HTB; on a kernel without
#       fq_codel with --bloat-reduction=none, HTB and its default leaf alone);
#   t1  a plain veth container routed by the host (203.0.113.0/24), shaped by
#       the CNI plugin: TBF on the host veth (ingress) and on an ifb the host
#       veth's ingress is redirected to (egress).
# (a) Accuracy: a bulk TCP transfer (iperf3) per direction and configured rate;
#     the measured rate is frame bytes from the tx counter of the device right
#     after the shaper (kernel-notes note 7: HTB and TBF count whole frames),
#     over the middle of the transfer.  Target: within 3% of the configured rate.
# (b) Latency under load: TCP request/response time peer -> container while a
#     bulk transfer peer -> container fills the ingress shaper, and idle.
# Never fails on numbers; prints ratios.
set -eu

RATES="${PM_BENCH_RATES:-10 50 200 1000}"  # Mbit/s
SECS="${PM_BENCH_SECONDS:-4}"              # measured seconds per transfer
LAT_RATE="${PM_BENCH_LATENCY_RATE:-50}"    # Mbit/s for (b)
CNI="${PM_BENCH_CNI:-/usr/lib/cni/bandwidth}"

dir="$(cd "$(dirname "$0")" && pwd)"
. "$dir/../scripts/sim-host.sh"
tmp="$(mktemp -d /tmp/pm-bench-shaping.XXXXXX)"
H="pmt-bsh-$$" P="pmt-bsp-$$" T="pmt-bst-$$"
export PORTMAP_STATE_DIR="$tmp/state"
C_IP=203.0.113.2 C_GW=203.0.113.1

in_host() { nsenter --net="/run/netns/$H" "$@"; }
in_peer() { nsenter --net="/run/netns/$P" "$@"; }
in_t1() { nsenter --net="/run/netns/$T" "$@"; }
in_c1() { nsenter --net="$PORTMAP_STATE_DIR/netns/c1" "$@"; }

cleanup() {
	set +e
	sim_state_release "$PORTMAP_STATE_DIR"
	sim_host_del "$T" "$T"
	sim_host_del "$H" "$P"
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The simulated host, c1 (ports 31000-31009) and t1.
sim_host_add "$H" "$P"
in_host pm-alloc init --ephemeral-ports 20480-22527 --per-container 512 --ports 31000-31999 >/dev/null
in_host pm-tc setup >/dev/null
in_host pm-alloc allocate c1 --ports 31000-31009 >/dev/null
in_host pm-netns create c1
in_host pm-tc attach c1
c1_veth="$(jq -r .host_veth "$PORTMAP_STATE_DIR/containers/c1/netns.json")"
ip netns add "$T"
ip -n "$H" link add pmbt0 type veth peer name eth0 netns "$T"
ip -n "$H" addr add "$C_GW/24" dev pmbt0
ip -n "$H" link set pmbt0 up
ip -n "$T" addr add "$C_IP/24" dev eth0
ip -n "$T" link set lo up
ip -n "$T" link set eth0 up
ip -n "$T" route add default via "$C_GW"
ip -n "$P" route add 203.0.113.0/24 via "$SIM_HOST_IP"
in_host sh -c 'echo 1 >/proc/sys/net/ipv4/ip_forward'
# No GSO/TSO where the measured traffic is sent: a shaper counts a GSO packet
# as the frames it will become, a device counter as one (shorter) packet.
for run in in_peer in_t1 in_c1; do "$run" ethtool -K eth0 gso off tso off gro off >/dev/null 2>&1 || true; done

# Servers: iperf3 in c1 (31000), t1 and the peer (5201); RR echo in c1 (31001) and t1 (5202).
in_c1 iperf3 -s -p 31000 -D >/dev/null
in_t1 iperf3 -s -p 5201 -D >/dev/null
in_peer iperf3 -s -p 5201 -D >/dev/null
cat >"$tmp/rr.py" <<'EOF'
import socket, sys, time
if sys.argv[1] == "serve":
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", int(sys.argv[2]))); s.listen(8)
    while True:
        c, _ = s.accept(); c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while (b := c.recv(64)):
            c.sendall(b)
        c.close()
# rr HOST PORT SECONDS -> "median p90" in ms
c = socket.create_connection((sys.argv[2], int(sys.argv[3])), timeout=5)
c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
end, t = time.monotonic() + float(sys.argv[4]), []
while time.monotonic() < end:
    a = time.monotonic(); c.sendall(b"x"); c.recv(64); t.append(time.monotonic() - a)
    time.sleep(0.01)
t.sort()
print("%.2f %.2f" % (t[len(t) // 2] * 1e3, t[int(len(t) * 0.9)] * 1e3))
EOF
in_c1 python3 "$tmp/rr.py" serve 31001 </dev/null >/dev/null 2>&1 &
in_t1 python3 "$tmp/rr.py" serve 5202 </dev/null >/dev/null 2>&1 &
sleep 0.5

# tx_bytes NETNS_RUNNER DEV
tx_bytes() { r="$1"; shift; "$r" ip -j -s link show dev "$1" | jq '.[0].stats64.tx.bytes'; }
now() { date +%s.%N; }

# bulk RUNNER_CLIENT DST PORT -- COUNTER_RUNNER DEV: frame bit/s on DEV's tx
# during SECS seconds of an iperf3 transfer (1 s settling before).
bulk() {
	crun="$1" dst="$2" port="$3" mrun="$4" dev="$5"
	"$crun" iperf3 -c "$dst" -p "$port" -t "$((SECS + 2))" >/dev/null 2>&1 &
	cpid=$!
	sleep 1
	b0="$(tx_bytes "$mrun" "$dev")" t0="$(now)"
	sleep "$SECS"
	b1="$(tx_bytes "$mrun" "$dev")" t1="$(now)"
	wait "$cpid" || true
	awk -v a="$b0" -v b="$b1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.0f", (b - a) * 8 / (e - s) }'
}

# The leaf under pm-tc's HTB: fq_codel where the kernel has it, else none.
if unshare --net tc qdisc add dev lo root fq_codel >/dev/null 2>&1; then leaf=fq_codel; else leaf=none; fi
pm_shaping=1
in_host pm-tc update c1 --help 2>/dev/null | grep -q -- --ingress-rate || pm_shaping=0
pm_limit() { in_host pm-tc update c1 --egress-rate "$1" --ingress-rate "$1" --bloat-reduction "$leaf"; }

# CNI bandwidth plugin: ADD with a rate (Mbit/s) and a 10 ms burst, DEL.
cni_ok=1
[ -x "$CNI" ] || cni_ok=0
cni() {
	cmd="$1" mbit="${2:-10}"
	bits=$((mbit * 1000000))
	burst=$((bits / 100))
	cat >"$tmp/cni.json" <<EOF
{"cniVersion": "1.0.0", "name": "pm-bench", "type": "bandwidth",
 "ingressRate": $bits, "ingressBurst": $burst, "egressRate": $bits, "egressBurst": $burst,
 "prevResult": {"cniVersion": "1.0.0",
   "interfaces": [{"name": "pmbt0"}, {"name": "eth0", "sandbox": "/run/netns/$T"}],
   "ips": [{"address": "$C_IP/24", "gateway": "$C_GW", "interface": 1}]}}
EOF
	CNI_COMMAND="$cmd" CNI_CONTAINERID="pmbench$$" CNI_NETNS="/run/netns/$T" CNI_IFNAME=eth0 \
		CNI_PATH="$(dirname "$CNI")" in_host "$CNI" <"$tmp/cni.json" >"$tmp/cni.out" 2>&1 || return 1
	# DEL removes only the ifb; the qdiscs on the host veth normally go with
	# the veth.  This one stays for the next rate, so remove them here.
	if [ "$cmd" = DEL ]; then
		in_host tc qdisc del dev pmbt0 root 2>/dev/null || true
		in_host tc qdisc del dev pmbt0 ingress 2>/dev/null || true
	fi
}
if [ "$cni_ok" = 1 ] && ! cni ADD 10; then
	echo "note: the CNI bandwidth plugin failed: $(head -c 300 "$tmp/cni.out")"
	cni_ok=0
fi
[ "$cni_ok" = 1 ] && { cni DEL 10 || echo "note: CNI DEL: $(head -c 300 "$tmp/cni.out")"; }
ifb_of() { in_host ip -o link show type ifb | awk -F': ' 'NR == 1 { print $2 }' | cut -d@ -f1; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && b > 0) printf "%.3f", a / b; else print "-" }'; }
mbit() { awk -v a="$1" 'BEGIN { if (a == "") print "-"; else printf "%.2f", a / 1e6 }'; }

# Unshaped, for scale.
free_out="$(bulk in_c1 "$SIM_PEER_IP" 5201 in_c1 eth0)"
free_in="$(bulk in_peer "$SIM_HOST_IP" 31000 in_host "$c1_veth")"

echo "rate-limit accuracy: configured vs measured frame rate (tx counter after the shaper, ${SECS}s of iperf3 TCP each)"
echo "pm-tc: HTB, leaf $leaf; TBF: the CNI bandwidth plugin ($CNI), burst = 10 ms of the rate"
[ "$pm_shaping" = 1 ] || echo "pm-tc in $PM_BUILD has no shaping options: its columns are empty"
[ "$cni_ok" = 1 ] || echo "no usable CNI bandwidth plugin: its columns are empty"
printf '%-10s | %-22s | %-22s | %-22s | %-22s\n' "Mbit/s" "pm-tc egress" "pm-tc ingress" "TBF(CNI) egress" "TBF(CNI) ingress"
printf '%-10s | %-22s | %-22s | %-22s | %-22s\n' "" "Mbit/s   measured/set" "Mbit/s   measured/set" "Mbit/s   measured/set" "Mbit/s   measured/set"
for r in $RATES; do
	set_bits=$((r * 1000000))
	pe="" pi="" te="" ti=""
	if [ "$pm_shaping" = 1 ] && pm_limit "${r}mbit"; then
		pe="$(bulk in_c1 "$SIM_PEER_IP" 5201 in_c1 eth0)"
		pi="$(bulk in_peer "$SIM_HOST_IP" 31000 in_host "$c1_veth")"
	fi
	if [ "$cni_ok" = 1 ] && { cni ADD "$r" || { echo "note: CNI ADD: $(head -c 300 "$tmp/cni.out")"; false; }; }; then
		ifb="$(ifb_of)"
		[ -n "$ifb" ] && te="$(bulk in_t1 "$SIM_PEER_IP" 5201 in_host "$ifb")"
		ti="$(bulk in_peer "$C_IP" 5201 in_host pmbt0)"
		cni DEL "$r" || echo "note: CNI DEL: $(head -c 300 "$tmp/cni.out")"
	fi
	printf '%-10s | %8s %13s | %8s %13s | %8s %13s | %8s %13s\n' "$r" \
		"$(mbit "$pe")" "$(ratio "$pe" "$set_bits")" "$(mbit "$pi")" "$(ratio "$pi" "$set_bits")" \
		"$(mbit "$te")" "$(ratio "$te" "$set_bits")" "$(mbit "$ti")" "$(ratio "$ti" "$set_bits")"
done
echo "unshaped (pm-tc, no limit): egress $(mbit "$free_out") Mbit/s, ingress $(mbit "$free_in") Mbit/s"
[ "$pm_shaping" = 1 ] && in_host pm-tc update c1 --egress-rate none --ingress-rate none >/dev/null 2>&1 || true

# (b) RR latency peer -> container, idle and beside a bulk transfer into the same container.
rr_loaded() { # RR_DST RR_PORT BULK_PORT
	in_peer iperf3 -c "$1" -p "$3" -t 6 >/dev/null 2>&1 &
	bpid=$!
	sleep 1.5
	in_peer python3 "$tmp/rr.py" rr "$1" "$2" 3
	wait "$bpid" || true
}
echo
echo "latency under load: TCP request/response peer -> container, median and p90 in ms, ingress limit $LAT_RATE Mbit/s"
printf '%-34s %16s %22s\n' "" "idle med/p90" "beside bulk med/p90"
printf '%-34s %16s %22s\n' "pm-tc, no limit" "$(in_peer python3 "$tmp/rr.py" rr "$SIM_HOST_IP" 31001 2)" \
	"$(rr_loaded "$SIM_HOST_IP" 31001 31000)"
if [ "$pm_shaping" = 1 ] && pm_limit "${LAT_RATE}mbit"; then
	pm_idle="$(in_peer python3 "$tmp/rr.py" rr "$SIM_HOST_IP" 31001 2)"
	pm_load="$(rr_loaded "$SIM_HOST_IP" 31001 31000)"
	printf '%-34s %16s %22s\n' "pm-tc HTB (leaf $leaf)" "$pm_idle" "$pm_load"
fi
if [ "$cni_ok" = 1 ] && cni ADD "$LAT_RATE"; then
	t_idle="$(in_peer python3 "$tmp/rr.py" rr "$C_IP" 5202 2)"
	t_load="$(rr_loaded "$C_IP" 5202 5201)"
	printf '%-34s %16s %22s\n' "TBF (CNI bandwidth plugin)" "$t_idle" "$t_load"
	cni DEL "$LAT_RATE" || true
fi
if [ -n "${pm_load:-}" ] && [ -n "${t_load:-}" ]; then
	echo "ratio of loaded medians, pm-tc / TBF: $(ratio "${pm_load%% *}" "${t_load%% *}") (below 1: pm-tc delays requests less than TBF)"
fi
