#!/usr/bin/env bats
# `make install DESTDIR=...` installs the whole product: the tools, pm-run and
# pm-gc, the man pages (portmap.7 included), completions and the
# systemd-tmpfiles entry; and the installed tools run a full lifecycle from
# the installed paths alone (the build dir and scripts/ are off PATH).

bats_require_minimum_version 1.5.0
load helpers
load 07-life-helpers

setup() { life_setup; }
teardown() { life_teardown; }

repo_make() {
	make --no-print-directory -C "$REPO_ROOT" BUILD="$(realpath --relative-to="$REPO_ROOT" "$PM_BUILD")" "$@"
}

@test "make install DESTDIR=... installs pm-run, pm-gc, portmap.7 and the tmpfiles entry" {
	local dest="$BATS_TEST_TMPDIR/root" p=/usr/local
	run repo_make install DESTDIR="$dest"
	assert_success
	local f
	for f in sbin/pm-run sbin/pm-gc; do
		[ -x "$dest$p/$f" ] || fail "$f not installed"
		assert_equal "$(stat -c %a "$dest$p/$f")" 755
		cmp "$REPO_ROOT/scripts/${f#sbin/}" "$dest$p/$f"
	done
	for f in man7/portmap.7 man8/pm-run.8 man8/pm-gc.8; do
		cmp "$REPO_ROOT/man/${f#*/}" "$dest$p/share/man/$f"
		assert_equal "$(stat -c %a "$dest$p/share/man/$f")" 644
	done
	cmp "$REPO_ROOT/scripts/portmap.tmpfiles" "$dest$p/lib/tmpfiles.d/portmap.conf"
	# The entry is what systemd-tmpfiles expects: creates /run/portmap 0755 root.
	grep -qE '^d +/run/portmap +0755 +root +root' "$dest$p/lib/tmpfiles.d/portmap.conf"
	if command -v systemd-tmpfiles >/dev/null; then
		local root="$BATS_TEST_TMPDIR/tmpfiles-root"
		mkdir -p "$root/run"
		systemd-tmpfiles --root="$root" --create "$dest$p/lib/tmpfiles.d/portmap.conf"
		assert_equal "$(stat -c '%a %U' "$root/run/portmap")" "755 root"
	fi
	# man finds the overview by name under the installed tree.
	run man --manpath="$dest$p/share/man" -P cat 7 portmap
	assert_success
	assert_output --partial "architecture and lifecycle"
	run repo_make uninstall DESTDIR="$dest"
	assert_success
	[ -z "$(find "$dest" -not -type d)" ] || fail "left after uninstall: $(find "$dest" -not -type d)"
}

@test "the installed tools run a full lifecycle from the installed paths" {
	local dest="$BATS_TEST_TMPDIR/root" sbin
	run repo_make install DESTDIR="$dest" PREFIX=/usr
	assert_success
	sbin="$dest/usr/sbin"
	# Only the installed tools on PATH (plus the system's, for python3 and socat).
	local path="$sbin:/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
	PATH="$path" run command -v pm-run pm-alloc pm-netns pm-tc pm-rlimit-exec pm-gc
	assert_output "$(printf '%s\n' "$sbin"/pm-{run,alloc,netns,tc,rlimit-exec,gc})"
	mkdir -p "$BATS_TEST_TMPDIR/inst"
	nsenter --net="/run/netns/$SIM_HOST" env --default-signal PATH="$path" pm-run inst --ports 31000 --rlimit nofile=77 -- \
		python3 "$LIFE_SERVER" "$BATS_TEST_TMPDIR/inst" 31000 </dev/null >/dev/null 2>"$BATS_TEST_TMPDIR/inst.err" 3>&- &
	RUN_PID=$!
	LIFE_PIDS+=("$RUN_PID")
	wait_ready inst
	run peer_get 31000
	assert_output "pong 31000"
	grep -qE '^Max open files +77 +77 ' "$BATS_TEST_TMPDIR/inst/limits"
	kill -TERM "$RUN_PID"
	finish "$RUN_PID"
	assert_equal "$RUN_STATUS" 42
	assert_equal "$(cat "$BATS_TEST_TMPDIR/inst.err")" ""
	gone inst
	PATH="$path" pm 0 in_host pm-gc --older-than 0
	run repo_make uninstall DESTDIR="$dest" PREFIX=/usr
	assert_success
}
