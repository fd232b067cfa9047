#!/usr/bin/env bats
# `make install` puts every tool in sbin, the man pages in man8 and the
# completions where bash-completion, zsh and fish look; `make uninstall`
# takes them away again.  Uses the already built $PM_BUILD (nothing to compile).

bats_require_minimum_version 1.5.0
load helpers

# make in the repository with the build dir the suite runs against.
repo_make() {
	local build
	build="$(realpath --relative-to="$REPO_ROOT" "$PM_BUILD")"
	make --no-print-directory -C "$REPO_ROOT" BUILD="$build" "$@"
}

# Files `make install` must create under DEST/PREFIX, one per line.
expected_files() {
	local prefix="$1" f
	for f in "$PM_BUILD"/pm-*; do
		[ -f "$f" ] && [ -x "$f" ] && echo "$prefix/sbin/$(basename "$f")"
	done
	for f in "$REPO_ROOT"/man/*.8; do echo "$prefix/share/man/man8/$(basename "$f")"; done
	for f in "$REPO_ROOT"/completions/bash/*; do echo "$prefix/share/bash-completion/completions/$(basename "$f")"; done
	for f in "$REPO_ROOT"/completions/zsh/*; do echo "$prefix/share/zsh/vendor-completions/$(basename "$f")"; done
	for f in "$REPO_ROOT"/completions/fish/*; do echo "$prefix/share/fish/vendor_completions.d/$(basename "$f")"; done
}

@test "make install DESTDIR=...: pm-alloc in sbin, its man page in man8, completions in place" {
	local dest="$BATS_TEST_TMPDIR/root" p=/usr/local
	run repo_make install DESTDIR="$dest"
	assert_success
	[ -x "$dest$p/sbin/pm-alloc" ]
	assert_equal "$(stat -c %a "$dest$p/sbin/pm-alloc")" 755
	[ -f "$dest$p/share/man/man8/pm-alloc.8" ]
	assert_equal "$(stat -c %a "$dest$p/share/man/man8/pm-alloc.8")" 644
	[ -f "$dest$p/share/bash-completion/completions/pm-alloc" ]
	[ -f "$dest$p/share/zsh/vendor-completions/_pm-alloc" ]
	[ -f "$dest$p/share/fish/vendor_completions.d/pm-alloc.fish" ]
	cmp "$REPO_ROOT/man/pm-alloc.8" "$dest$p/share/man/man8/pm-alloc.8"
	# The installed binary is the built one and runs.
	run "$dest$p/sbin/pm-alloc" --version
	assert_output "pm-alloc $(cat "$REPO_ROOT/VERSION")"
	# Every tool, man page and completion the tree has.
	local f missing=""
	while read -r f; do [ -e "$dest$f" ] || missing+=" $f"; done < <(expected_files "$p")
	assert_equal "$missing" ""
}

@test "make install honours PREFIX; make uninstall removes what install put there" {
	local dest="$BATS_TEST_TMPDIR/root" f
	run repo_make install PREFIX=/usr DESTDIR="$dest"
	assert_success
	[ -x "$dest/usr/sbin/pm-alloc" ]
	[ -f "$dest/usr/share/man/man8/pm-alloc.8" ]
	[ ! -e "$dest/usr/local" ]
	run repo_make uninstall PREFIX=/usr DESTDIR="$dest"
	assert_success
	while read -r f; do
		[ ! -e "$dest$f" ] || fail "$f is still there after make uninstall"
	done < <(expected_files /usr)
	# Only (empty) directories remain.
	assert_equal "$(find "$dest" -not -type d)" ""
}
