#!/bin/sh
# bench/40-tc.sh: the cost of pm-tc steering, measured side by side in one run.
# Four simulated hosts (netns, each with its own peer and state dir) run the
# same setup with 0, 1, 64 and 256 real containers (pm-alloc + pm-netns)
# attached by pm-tc.  From each host's peer:
#   (a) to a container: UDP 64-byte packet rate and TCP request/response
#       latency with 1, 64 and 256 containers attached;
#   (b) to a host socket: the same with 0 and 256 containers attached.
# The configurations are measured interleaved (one short run of each, in
# rotating order, repeated), so load elsewhere on the machine hits them all
# alike.  Each figure is the best run (highest rate, lowest latency: other
# load only ever slows a run down); medians and spreads follow.  Ratios: 256
# vs 1 and host 256 vs 0 (targets within 5%), and container/host, the cost of
# the steering itself.  Never fails on numbers.
set -eu

RUNS="${PM_BENCH_RUNS:-8}"      # interleaved runs of every configuration
SECS="${PM_BENCH_SECONDS:-1}"   # seconds per run and metric

here="$(cd "$(dirname "$0")" && pwd)"
# shellcheck source=scripts/sim-host.sh
. "$here/../scripts/sim-host.sh"

tmp="$(mktemp -d /tmp/pm-bench-tc.XXXXXX)"
HOST_IP="$SIM_HOST_IP"
TAGS="0 1 64 256"               # one simulated host per container count

ns_host() { echo "pmt-bh$1-$$"; }
ns_peer() { echo "pmt-bp$1-$$"; }
state_of() { echo "$tmp/s$1"; }
in_host() { t="$1"; shift; PORTMAP_STATE_DIR="$(state_of "$t")" nsenter --net="/run/netns/$(ns_host "$t")" "$@"; }
in_peer() { t="$1"; shift; nsenter --net="/run/netns/$(ns_peer "$t")" "$@"; }
in_ct() { t="$1"; c="$2"; shift 2; nsenter --net="$(state_of "$t")/netns/$c" "$@"; }

servers=""
cleanup() {
	set +e
	for pid in $servers; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
	for t in $TAGS; do
		sim_state_release "$(state_of "$t")"
		sim_host_del "$(ns_host "$t")" "$(ns_peer "$t")"
	done
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

# The load generator: TCP request/response and a UDP blaster/sink, in C so the
# measurement is not an interpreter's.
cat >"$tmp/pmtc-load.c" <<'EOF'
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}
static struct sockaddr_in addr(const char* ip, int port) {
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}
static int one = 1;

int main(int argc, char** argv) {
	if (argc < 3) return 2;
	const char* mode = argv[1];
	if (!strcmp(mode, "rr-server")) { /* rr-server PORT */
		int s = socket(AF_INET, SOCK_STREAM, 0);
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		struct sockaddr_in a = addr("0.0.0.0", atoi(argv[2]));
		if (bind(s, (void*)&a, sizeof a) || listen(s, 16)) { perror("rr-server"); return 1; }
		for (;;) {
			int c = accept(s, 0, 0);
			if (c < 0) continue;
			setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			char b;
			while (read(c, &b, 1) == 1 && write(c, &b, 1) == 1) {}
			close(c);
		}
	}
	if (!strcmp(mode, "rr-client") && argc == 5) { /* rr-client IP PORT SECONDS -> mean latency in us */
		int s = socket(AF_INET, SOCK_STREAM, 0);
		struct sockaddr_in a = addr(argv[2], atoi(argv[3]));
		if (connect(s, (void*)&a, sizeof a)) { perror("rr-client"); return 1; }
		setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		double end = now() + atof(argv[4]), start = now();
		long n = 0;
		char b = 'x';
		while (now() < end) {
			if (write(s, &b, 1) != 1 || read(s, &b, 1) != 1) { perror("rr-client"); return 1; }
			n++;
		}
		printf("%.2f\n", (now() - start) * 1e6 / n);
		return 0;
	}
	if (!strcmp(mode, "udp-sink") && argc == 4) { /* udp-sink PORT SECONDS -> packets/s after the first */
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		int big = 1 << 22;
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof big);
		struct sockaddr_in a = addr("0.0.0.0", atoi(argv[2]));
		if (bind(s, (void*)&a, sizeof a)) { perror("udp-sink"); return 1; }
		printf("ready\n");
		fflush(stdout);
		char buf[2048];
		if (recv(s, buf, sizeof buf, 0) < 0) return 1;
		struct timeval tv = {0, 200000};
		setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
		double end = now() + atof(argv[3]), start = now();
		long n = 0;
		while (now() < end)
			if (recv(s, buf, sizeof buf, 0) > 0) n++;
		printf("%.0f\n", n / (now() - start));
		return 0;
	}
	if (!strcmp(mode, "udp-blast") && argc == 5) { /* udp-blast IP PORT SECONDS: 64-byte datagrams */
		int s = socket(AF_INET, SOCK_DGRAM, 0);
		struct sockaddr_in a = addr(argv[2], atoi(argv[3]));
		if (connect(s, (void*)&a, sizeof a)) { perror("udp-blast"); return 1; }
		char payload[64] = {0};
		struct mmsghdr m[32];
		struct iovec iov = {payload, sizeof payload};
		memset(m, 0, sizeof m);
		for (int i = 0; i < 32; i++) m[i].msg_hdr.msg_iov = &iov, m[i].msg_hdr.msg_iovlen = 1;
		double end = now() + atof(argv[4]);
		while (now() < end) sendmmsg(s, m, 32, 0);
		return 0;
	}
	return 2;
}
EOF
cc -O2 -o "$tmp/load" "$tmp/pmtc-load.c"
LOAD="$tmp/load"

# mkhost N: a simulated host with its peer, set up, with N containers of 64
# ephemeral ports each (20480-36863) attached; an RR server on the host
# (9000) and in c1 (20500, in its block).
mkhost() {
	t="$1" h="$(ns_host "$1")" p="$(ns_peer "$1")"
	sim_host_add "$h" "$p"
	# Keep the host's own ephemeral range clear of the pool's 20480-36863.
	in_host "$t" sh -c 'echo "40000 60999" > /proc/sys/net/ipv4/ip_local_port_range'
	in_host "$t" pm-alloc init --ephemeral-ports 20480-36863 --per-container 64 >/dev/null
	in_host "$t" pm-tc setup
	i=1
	while [ "$i" -le "$t" ]; do
		in_host "$t" pm-alloc allocate "c$i" >/dev/null
		in_host "$t" pm-netns create "c$i"
		in_host "$t" pm-tc attach "c$i"
		i=$((i + 1))
	done
	# nsenter itself (not a shell function) in the background, so $! is the server.
	nsenter --net="/run/netns/$h" "$LOAD" rr-server 9000 &
	servers="$servers $!"
	if [ "$t" -gt 0 ]; then
		nsenter --net="$(state_of "$t")/netns/c1" "$LOAD" rr-server 20500 &
		servers="$servers $!"
	fi
}

t0="$(date +%s.%N)"
for t in $TAGS; do mkhost "$t"; done
t1="$(date +%s.%N)"
sleep 0.3

# run_rr TAG PORT / run_udp TAG WHERE PORT: one run each, from TAG's peer.
run_rr() { in_peer "$1" "$LOAD" rr-client "$HOST_IP" "$2" "$SECS"; }
run_udp() {
	out="$tmp/sink.out"
	: >"$out"
	if [ "$2" = host ]; then
		nsenter --net="/run/netns/$(ns_host "$1")" "$LOAD" udp-sink "$3" "$SECS" >"$out" &
	else
		nsenter --net="$(state_of "$1")/netns/$2" "$LOAD" udp-sink "$3" "$SECS" >"$out" &
	fi
	sink=$!
	tries=0
	until grep -q ready "$out" 2>/dev/null || [ "$tries" -ge 100 ]; do sleep 0.02; tries=$((tries + 1)); done
	nsenter --net="/run/netns/$(ns_peer "$1")" "$LOAD" udp-blast "$HOST_IP" "$3" "$((SECS + 1))" &
	blast=$!
	wait "$sink" || true
	wait "$blast" || true
	tail -n 1 "$out"
}

# Configurations: KEY:TAG:WHERE:PORT.
CONFIGS="host0:0:host:9000 host256:256:host:9000 c1:1:c1:20500 c64:64:c1:20500 c256:256:c1:20500"
measure() {
	key="${1%%:*}" rest="${1#*:}"
	t="${rest%%:*}" rest="${rest#*:}"
	where="${rest%%:*}" port="${rest#*:}"
	run_rr "$t" "$port" >>"$tmp/$key.rr"
	run_udp "$t" "$where" "$((port + 1))" >>"$tmp/$key.udp"
}

# Warm-up (neighbour entries, caches), then interleaved runs in rotating order.
for c in $CONFIGS; do
	key="${c%%:*}"
	measure "$c"
	: >"$tmp/$key.rr"
	: >"$tmp/$key.udp"
done
t2="$(date +%s.%N)"
r=0
while [ "$r" -lt "$RUNS" ]; do
	set -- $CONFIGS
	shift $((r % 5))
	for c in "$@"; do measure "$c"; done
	set -- $CONFIGS
	i=0
	while [ "$i" -lt $((r % 5)) ]; do measure "$1"; shift; i=$((i + 1)); done
	r=$((r + 1))
done
t3="$(date +%s.%N)"
filters="$(in_host 256 pm-tc --json show c1 | jq '.filters | length')"
eth0_filters="$(in_host 256 tc filter show dev eth0 ingress | grep -c 'fh [0-9a-f]*:[0-9a-f]*:[0-9a-f]')"

best_rate() { sort -n "$1" | tail -n 1; }
best_time() { sort -n "$1" | head -n 1; }
median() { sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
spread() { sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }

for k in host0 host256 c1 c64 c256; do
	eval "rr_$k=\$(best_time \"\$tmp/$k.rr\")"
	eval "udp_$k=\$(best_rate \"\$tmp/$k.udp\")"
done

echo "pm-tc steering: peer -> container / host socket (best of $RUNS interleaved runs of ${SECS}s)"
printf '%-34s %14s %14s\n' "" "UDP 64B pkt/s" "TCP RR us"
printf '%-34s %14s %14s\n' "host socket, 0 containers" "$udp_host0" "$rr_host0"
printf '%-34s %14s %14s\n' "host socket, 256 containers" "$udp_host256" "$rr_host256"
printf '%-34s %14s %14s\n' "container, 1 attached" "$udp_c1" "$rr_c1"
printf '%-34s %14s %14s\n' "container, 64 attached" "$udp_c64" "$rr_c64"
printf '%-34s %14s %14s\n' "container, 256 attached" "$udp_c256" "$rr_c256"
echo
echo "ratios (1.000 = no cost; targets within 5%: 0.95-1.05)"
printf '%-34s %14s %14s\n' "" "pkt/s" "latency"
printf '%-34s %14s %14s\n' "host: 256 / 0 containers" "$(ratio "$udp_host256" "$udp_host0")" "$(ratio "$rr_host256" "$rr_host0")"
printf '%-34s %14s %14s\n' "container: 64 / 1 attached" "$(ratio "$udp_c64" "$udp_c1")" "$(ratio "$rr_c64" "$rr_c1")"
printf '%-34s %14s %14s\n' "container: 256 / 1 attached" "$(ratio "$udp_c256" "$udp_c1")" "$(ratio "$rr_c256" "$rr_c1")"
printf '%-34s %14s %14s\n' "container (1) / host (0): steering" "$(ratio "$udp_c1" "$udp_host0")" "$(ratio "$rr_c1" "$rr_host0")"
echo
echo "median [spread] of the runs:"
for k in host0 host256 c1 c64 c256; do
	printf '  %-8s pkt/s %8s [%-15s]  us %7s [%s]\n' "$k" "$(median "$tmp/$k.udp")" "$(spread "$tmp/$k.udp")" \
		"$(median "$tmp/$k.rr")" "$(spread "$tmp/$k.rr")"
done
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
	printf "setup: 4 hosts, 321 containers created and attached in %.1f s; measuring took %.0f s\n", b - a, d - c }'
echo "filters: $filters for one container (all devices); $eth0_filters leaf filters on host eth0 with 256 attached"
