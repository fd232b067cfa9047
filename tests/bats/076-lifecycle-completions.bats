#!/usr/bin/env bats
# Completions of the shell tools pm-run and pm-gc behave (001-docs checks that
# they name every option): options, option values, and after pm-run's "--"
# the command.  pm-run's ID names a new container, so no existing IDs are
# offered for it (an allocated ID is refused).

bats_require_minimum_version 1.5.0
load helpers

# bash_complete TOOL WORDS...: what the bash completion of TOOL offers for the last word.
bash_complete() {
	local tool="$1"
	shift
	bash -c 'source "$1"; shift; f="$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); "$f"; printf "%s\n" "${COMPREPLY[@]}"' \
		sh "$REPO_ROOT/completions/bash/$tool" "_${tool//-/_}" "$tool" "$@" | sort -u | xargs
}
fish_complete() { fish -c "source $REPO_ROOT/completions/fish/$1.fish; complete -C '$2'" | cut -f1 | sort -u | xargs; }

@test "bash: pm-run options, their values, and the command after --" {
	mkdir -p "$PORTMAP_STATE_DIR/containers/web"
	assert_equal "$(bash_complete pm-run pm-run --in)" "--ingress-rate"
	assert_equal "$(bash_complete pm-run pm-run --bloat-reduction '')" "fq_codel none"
	assert_equal "$(bash_complete pm-run pm-run --rlimit nof)" "nofile="
	assert_equal "$(bash_complete pm-run pm-run '')" ""
	[[ " $(bash_complete pm-run pm-run web -- ech) " == *" echo "* ]]
	# Options of pm-run are not offered to the command.
	assert_equal "$(bash_complete pm-run pm-run web -- sleep --ingr)" ""
}

@test "bash: pm-gc options and values" {
	assert_equal "$(bash_complete pm-gc pm-gc --e)" "--empty"
	assert_equal "$(bash_complete pm-gc pm-gc --older-than '')" "0 300 3600 60"
	assert_equal "$(bash_complete pm-gc pm-gc --state-dir "$BATS_TEST_TMPDIR/")" ""
	mkdir -p "$BATS_TEST_TMPDIR/sd"
	assert_equal "$(bash_complete pm-gc pm-gc --state-dir "$BATS_TEST_TMPDIR/s")" "$BATS_TEST_TMPDIR/sd"
}

@test "fish: pm-run options, values, and the command's own completion after --" {
	command -v fish >/dev/null || skip "fish is not installed"
	assert_equal "$(fish_complete pm-run 'pm-run --bloat-reduction ')" "fq_codel none"
	assert_equal "$(fish_complete pm-run 'pm-run --eg')" "--egress-rate"
	[[ " $(fish_complete pm-run 'pm-run web -- ech') " == *" echo "* ]]
	assert_equal "$(fish_complete pm-run 'pm-run web -- sleep --ingr')" ""
	assert_equal "$(fish_complete pm-gc 'pm-gc --k')" "--keep-allocations"
}
