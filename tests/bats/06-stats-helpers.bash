# Helpers for the pm-stats Bats files (060-069).  Load after `load helpers`.
#
# Containers are made by the real tools inside the simulated host: pm-alloc
# (pool 20480-24575, 256 ports each, plus non-ephemeral ports 31000-31999) and
# pm-netns; traffic steering by pm-tc when a test needs the peer to reach a
# container.  pm-stats runs in the simulated host, as it would on a real one.

STATS_POOL=20480-24575
STATS_PORTS=31000-31999

stats() { in_host pm-stats "$@"; }
in_ct() {
	local id="$1"
	shift
	nsenter --net="$PORTMAP_STATE_DIR/netns/$id" "$@"
}

# bg NETNS_HANDLE CMD...: run CMD in the background in a namespace, detached from
# Bats's output (so a leftover never holds the run open); its PID (nsenter execs
# CMD) is killed in teardown.
bg() {
	local handle="$1"
	shift
	nsenter --net="$handle" "$@" >/dev/null 2>&1 3>&- &
	STATS_PIDS+=($!)
}

ct_handle() { echo "$PORTMAP_STATE_DIR/netns/$1"; }
peer_handle() { echo "/run/netns/$SIM_PEER"; }

# udp_sink HANDLE PORT [COUNT]: a UDP receiver on PORT in the namespace at
# HANDLE, in the background; returns once it is bound.  With COUNT it stops
# after COUNT datagrams (or 10 s of silence) and writes how many it got to
# $BATS_TEST_TMPDIR/received; without, it runs until teardown.
udp_sink() {
	rm -f "$BATS_TEST_TMPDIR/bound" "$BATS_TEST_TMPDIR/received"
	bg "$1" python3 -c '
import socket, sys
tmp, port, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("0.0.0.0", port))
open(tmp + "/bound", "w").close()
if count == 0:
    while True: s.recv(65536)
s.settimeout(10)
n = 0
try:
    while n < count: s.recv(65536); n += 1
except socket.timeout: pass
open(tmp + "/received", "w").write(str(n))' "$BATS_TEST_TMPDIR" "$2" "${3:-0}"
	wait_until test -e "$BATS_TEST_TMPDIR/bound"
}

# udp_send HANDLE DST PORT COUNT PAYLOAD [SRC_PORT]: COUNT datagrams of PAYLOAD
# bytes from the namespace at HANDLE, paced so no socket buffer overflows.
udp_send() {
	nsenter --net="$1" python3 -c '
import socket, sys, time
dst, port, count, size, src = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
if src: s.bind(("0.0.0.0", src))
for _ in range(count):
    s.sendto(b"u" * size, (dst, port)); time.sleep(0.001)' "$2" "$3" "$4" "$5" "${6:-0}"
}

# Two containers with ports, steered by pm-tc, for the traffic tests.
two_steered_containers() {
	make_container c1 31000-31009
	make_container c2 31010-31019
	steer c1
	steer c2
}

stats_setup() {
	default_setup
	sim_host_create
	in_host pm-alloc init --ephemeral-ports "$STATS_POOL" --per-container 256 --ports "$STATS_PORTS" >/dev/null
	STATS_PIDS=()
}

stats_teardown() {
	local pid
	for pid in "${STATS_PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
	default_teardown
}

# make_container ID [PORTS]: allocate (with non-ephemeral PORTS) and create its namespace.
make_container() {
	local id="$1"
	if [ -n "${2:-}" ]; then
		in_host pm-alloc allocate "$id" --ports "$2" >/dev/null
	else
		in_host pm-alloc allocate "$id" >/dev/null
	fi
	in_host pm-netns create "$id" >/dev/null
}

# steer ID: pm-tc steering so the peer reaches the container's ports (setup once).
steer() {
	if [ ! -e "$PORTMAP_STATE_DIR/host.json" ]; then in_host pm-tc setup >/dev/null; fi
	in_host pm-tc attach "$1" >/dev/null
}

# stat_of JSON_FILE ID KEY: one statistics value of container ID.
stat_of() {
	jq -r --arg id "$2" --arg k "$3" '.[] | select(.source == $id) | .statistics[$k]' "$1"
}

# delta BEFORE AFTER ID KEY: AFTER - BEFORE for one counter.
delta() {
	echo $(($(stat_of "$2" "$3" "$4") - $(stat_of "$1" "$3" "$4")))
}

# Checks a /monitor/statistics document on stdin against the Mesos shape (keys and types).
check_mesos_shape() {
	python3 -c '
import json, sys
doc = json.load(sys.stdin)
assert isinstance(doc, list), "top level must be an array"
counters = ["net_rx_bytes", "net_rx_dropped", "net_rx_errors", "net_rx_packets",
            "net_tx_bytes", "net_tx_dropped", "net_tx_errors", "net_tx_packets"]
optional_ints = ["net_tx_rate_limit", "net_tx_burst_rate_limit", "net_tx_burst_size",
                 "net_rx_rate_limit", "net_rx_burst_rate_limit", "net_rx_burst_size",
                 "net_tcp_active_connections", "net_tcp_time_wait_connections",
                 "net_tcp_rtt_microsecs_p50", "net_tcp_rtt_microsecs_p90",
                 "net_tcp_rtt_microsecs_p95", "net_tcp_rtt_microsecs_p99"]
tc_keys = {"id", "backlog", "bytes", "drops", "overlimits", "packets", "qlen", "ratebps", "ratepps", "requeues"}
tc_ids = {"bw_limit", "bloat_reduction", "ingress_bw_limit", "ingress_bloat_reduction"}
known = set(counters) | set(optional_ints) | {"timestamp", "net_ephemeral_ports",
        "net_traffic_control_statistics", "net_snmp_statistics"}
def is_uint(v): return isinstance(v, int) and not isinstance(v, bool) and v >= 0
for e in doc:
    for k in ("executor_id", "executor_name", "framework_id", "source", "container_id"):
        assert isinstance(e.get(k), str), "%s must be a string" % k
    assert e["source"] == e["container_id"] != ""
    s = e["statistics"]
    assert isinstance(s, dict)
    unknown = set(s) - known
    assert not unknown, "unknown keys %s" % unknown
    for k in counters: assert is_uint(s.get(k)), "%s: %r" % (k, s.get(k))
    for k in optional_ints:
        if k in s: assert is_uint(s[k]), k
    assert isinstance(s["timestamp"], float) and s["timestamp"] > 1e9
    if "net_ephemeral_ports" in s:
        p = s["net_ephemeral_ports"]
        assert set(p) == {"begin", "end"} and 0 < p["begin"] <= p["end"] <= 65535, p
    for t in s.get("net_traffic_control_statistics", []):
        assert set(t) == tc_keys, t
        assert t["id"] in tc_ids, t["id"]
        for k in tc_keys - {"id"}: assert is_uint(t[k]), k
    for section, fields in s.get("net_snmp_statistics", {}).items():
        assert section in ("ip_stats", "icmp_stats", "tcp_stats", "udp_stats"), section
        for k, v in fields.items(): assert isinstance(v, int), k
print(len(doc))
'
}

# Parses Prometheus text exposition on stdin (format 0.0.4) strictly and prints
# one "name{labels} value" line per sample (labels sorted), or fails naming the
# line: HELP and TYPE once per family and before its samples, valid names and
# label syntax with escapes, counters ending in _total, a container label on
# every sample, no timestamps, no duplicate series.
parse_prometheus() {
	python3 -c '
import re, sys
name_re = re.compile(r"[a-zA-Z_:][a-zA-Z0-9_:]*$")
label_re = re.compile(r"\s*([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\n]|\\\\[\\\\\"n])*)\"\s*(,|$)")
helps, types, seen_samples, series, out = {}, {}, set(), set(), []
def fail(n, line, why): sys.exit("line %d: %s: %r" % (n, why, line))
for n, line in enumerate(sys.stdin.read().split("\n"), 1):
    if line == "": continue
    if line.startswith("#"):
        parts = line.split(None, 3)
        if len(parts) >= 3 and parts[1] in ("HELP", "TYPE"):
            name = parts[2]
            if not name_re.match(name): fail(n, line, "bad metric name")
            if name in seen_samples: fail(n, line, "HELP/TYPE after samples")
            if parts[1] == "HELP":
                if name in helps: fail(n, line, "second HELP")
                helps[name] = parts[3] if len(parts) > 3 else ""
            else:
                if name in types: fail(n, line, "second TYPE")
                if len(parts) < 4 or parts[3] not in ("counter", "gauge", "summary", "histogram", "untyped"):
                    fail(n, line, "bad TYPE")
                types[name] = parts[3]
        continue
    m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)( (\S+))?$", line)
    if not m: fail(n, line, "not a sample")
    name, body, value, ts = m.group(1), m.group(3), m.group(4), m.group(6)
    if ts is not None: fail(n, line, "timestamp present")
    try: float(value)
    except ValueError: fail(n, line, "bad value")
    labels = {}
    pos = 0
    while body and pos < len(body):
        lm = label_re.match(body, pos)
        if not lm: fail(n, line, "bad labels")
        if lm.group(1) in labels: fail(n, line, "duplicate label")
        labels[lm.group(1)] = lm.group(2)
        pos = lm.end()
    if name not in types or name not in helps: fail(n, line, "sample without HELP/TYPE")
    if types[name] == "counter" and not name.endswith("_total"): fail(n, line, "counter without _total")
    if "container" not in labels: fail(n, line, "no container label")
    key = name + "{" + ",".join("%s=\"%s\"" % kv for kv in sorted(labels.items())) + "}"
    if key in series: fail(n, line, "duplicate series")
    series.add(key)
    seen_samples.add(name)
    out.append(key + " " + value)
print("\n".join(out))
'
}
