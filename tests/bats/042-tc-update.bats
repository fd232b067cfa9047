#!/usr/bin/env bats
# pm-tc update: after pm-alloc update, new ports work, removed ones stop, and
# traffic on unchanged ports (an open TCP connection) is not disturbed.

bats_require_minimum_version 1.5.0
load helpers
load 04-tc-helpers

setup() {
	tc_setup
	tc_attached c1:31000-31009 c2:31010-31019
}
teardown() { tc_teardown; }

H=198.51.100.10

# Opens a TCP connection from the peer to c1:31000 and keeps it; sets HOLD.
hold_connection() {
	HOLD="$BATS_TEST_TMPDIR/hold"
	mkdir -p "$HOLD"
	nsenter --net="$(ns_of peer)" python3 "$PROBE" hold "$H" 31000 "$HOLD" </dev/null >/dev/null 2>&1 3>&- &
	TC_PIDS+=("$!")
	wait_until test -e "$HOLD/connected"
}

@test "update: the new port works, the removed one stops, an open connection on a kept port survives" {
	serve c1 tcp 31000
	for p in tcp udp; do serve c1 "$p" 31008 && serve c1 "$p" 31020 && serve host "$p" 31008 && serve host "$p" 31020; done
	hold_connection
	delivered peer tcp "$H" 31008 c1
	tc_dump | grep -q '00007920/0000fffe'  # the 31008-31009 block
	delivered peer udp "$H" 31020 host  # not c1's yet

	in_host pm-alloc update c1 --ports 31000-31007,31020 >/dev/null
	pm 0 pmtc -v update c1
	[[ "$stderr" == *"6 filters added, 6 removed"* ]]
	for p in tcp udp; do
		delivered peer "$p" "$H" 31020 c1
		delivered c2 "$p" "$H" 31020 c1
		# 31008 is no longer c1's: the host answers it now.
		delivered peer "$p" "$H" 31008 host
	done
	# The connection opened before the update carries on.
	touch "$HOLD/go"
	wait_until test -s "$HOLD/result"
	assert_equal "$(cat "$HOLD/result")" ok
	grep -q '^second ' "$(log_of c1 tcp 31000)"
	# tc.json follows.
	assert_equal "$(jq -c .ports "$PORTMAP_STATE_DIR/containers/c1/tc.json")" '[{"begin":31000,"end":31007},{"begin":31020,"end":31020}]'
	assert_equal "$(jq -r .state "$PORTMAP_STATE_DIR/containers/c1/tc.json")" attached
	! tc_dump c1 | grep -q '00007920/0000fffe'  # no filter for the old block anywhere
}

@test "update without a change is a no-op; removing every non-ephemeral port keeps the ephemeral block" {
	local before
	before="$(tc_dump c1 c2 | sha256sum)"
	pm 0 pmtc -v update c1
	[[ "$stderr" == *"nothing to change"* ]]
	assert_equal "$(tc_dump c1 c2 | sha256sum)" "$before"

	in_host pm-alloc update c1 --ports "" >/dev/null
	pm 0 pmtc update c1
	serve c1 udp 20500
	serve c1 udp 31001
	delivered peer udp "$H" 20500 c1
	not_delivered peer udp "$H" 31001 c1
	# And back.
	in_host pm-alloc update c1 --ports 31000-31009 >/dev/null
	pm 0 pmtc update c1
	delivered peer udp "$H" 31001 c1
}

@test "update of a container that is not attached is exit 66" {
	container c3 31030
	tc_refused 66 "'c3' is not attached" update c3
}
