#!/usr/bin/env bats
# Documentation stays in sync with the tools (as util-linux checks its own):
# for every tool binary in $PM_BUILD and shell tool in scripts/, each long option its --help shows (and
# each subcommand's --help shows) appears in man/TOOL.8 and in the bash, zsh
# and fish completions; so does every subcommand name.  --version prints
# "NAME VERSION"; -h and --help exit 0.

bats_require_minimum_version 1.5.0
load helpers

tools() {
	local f
	for f in "$PM_BUILD"/pm-* "$REPO_ROOT"/scripts/pm-*; do
		[ -f "$f" ] && [ -x "$f" ] && basename "$f"
	done
}

# Where TOOL is: the build dir, or scripts/ for the shell tools (pm-run, pm-gc).
tool_dir() { if [ -x "$PM_BUILD/$1" ]; then echo "$PM_BUILD"; else echo "$REPO_ROOT/scripts"; fi; }

# Long options in a CLI11 help text: the first column of option lines.
help_options() {
	awk '/^ +-/ { print $1 }' | tr ',' '\n' | sed -n 's/^\(--[A-Za-z0-9][A-Za-z0-9_-]*\).*/\1/p' | sort -u
}

# Subcommand names listed under "Subcommands:".
help_subcommands() {
	awk '/^Subcommands:/ { on = 1; next } on && /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

# "CMD..." lines: the tool and every (nested) subcommand path, each with its help.
# Output: one "path<TAB>option" line per long option, "path<TAB>=sub" per subcommand.
walk_help() {
	local depth="$1" help sub opt
	shift
	help="$("$@" --help 2>&1)" || { echo "$* --help failed" >&2; return 1; }
	for opt in $(help_options <<<"$help"); do printf '%s\t%s\n' "$*" "$opt"; done
	[ "$depth" -ge 3 ] && return 0
	for sub in $(help_subcommands <<<"$help"); do
		printf '%s\t=%s\n' "$*" "$sub"
		walk_help $((depth + 1)) "$@" "$sub" || return 1
	done
}

# The words a file documents: roff escapes removed (\- -> -, \fB etc. dropped).
plain() { sed -e 's/\\-/-/g' -e 's/\\f[BIRPC]//g' -e 's/\\(dq/"/g' "$1"; }

# mentions FILE-TEXT WORD KIND: KIND "option" (--x, or fish's `-l x`) or "word".
mentions() {
	local text="$1" word="$2" kind="$3" bare
	if [ "$kind" = option ]; then
		bare="${word#--}"
		grep -qE -- "(^|[^A-Za-z0-9-])${word}([^A-Za-z0-9_-]|$)" <<<"$text" && return 0
		grep -qE -- "(-l|--long-option|--long)[ =]['\"]?${bare}(['\"]|[^A-Za-z0-9_-]|$)" <<<"$text"
	else
		grep -qE -- "(^|[^A-Za-z0-9_-])${word}([^A-Za-z0-9_-]|$)" <<<"$text"
	fi
}

# check_docs FILE-OF(TOOL): every option/subcommand of every tool is in the file.
check_docs() {
	local describe="$1" path_of="$2" tool file text line where item missing=""
	for tool in $(tools); do
		file="$("$path_of" "$tool")"
		if [ ! -f "$file" ]; then
			missing+=$'\n'"$tool: no ${file#"$REPO_ROOT"/}"
			continue
		fi
		text="$(plain "$file")"
		while IFS=$'\t' read -r where item; do
			if [ "${item#=}" != "$item" ]; then
				mentions "$text" "${item#=}" word || missing+=$'\n'"${file#"$REPO_ROOT"/}: subcommand '${item#=}' of '$where'"
			else
				mentions "$text" "$item" option || missing+=$'\n'"${file#"$REPO_ROOT"/}: option $item of '$where'"
			fi
		done < <(cd "$(tool_dir "$tool")" && walk_help 0 "./$tool" | sed 's|^\./||')
	done
	if [ -n "$missing" ]; then
		echo "$describe is missing:$missing" >&2
		return 1
	fi
}

man_page() { echo "$REPO_ROOT/man/$1.8"; }
bash_completion() { echo "$REPO_ROOT/completions/bash/$1"; }
zsh_completion() { echo "$REPO_ROOT/completions/zsh/_$1"; }
fish_completion() { echo "$REPO_ROOT/completions/fish/$1.fish"; }

@test "there are tools to check" {
	run tools
	assert_line pm-alloc
}

@test "every option and subcommand in --help is in the man page" {
	check_docs "the man page" man_page
}

@test "every option and subcommand in --help is in the bash completion" {
	check_docs "the bash completion" bash_completion
}

@test "every option and subcommand in --help is in the zsh completion" {
	check_docs "the zsh completion" zsh_completion
}

@test "every option and subcommand in --help is in the fish completion" {
	check_docs "the fish completion" fish_completion
}

@test "--version prints NAME VERSION; -h and --help exit 0 with usage on stdout" {
	local tool version bad=""
	version="$(cat "$REPO_ROOT/VERSION")"
	for tool in $(tools); do
		run --separate-stderr "$(tool_dir "$tool")/$tool" --version
		[ "$status" = 0 ] && [ "$output" = "$tool $version" ] || bad+=$'\n'"$tool --version: exit $status, '$output'"
		for opt in -h --help; do
			run --separate-stderr "$(tool_dir "$tool")/$tool" "$opt"
			[ "$status" = 0 ] && [[ "$output" == *"Usage: $tool"* ]] && [ -z "$stderr" ] ||
				bad+=$'\n'"$tool $opt: exit $status, stderr '$stderr'"
		done
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "man pages render without warnings" {
	command -v groff >/dev/null || skip "groff is not installed"
	local page out bad=""
	for page in "$REPO_ROOT"/man/*.[0-9]; do
		out="$(LC_ALL=C.UTF-8 groff -man -Tutf8 -ww -z "$page" 2>&1)"
		[ -z "$out" ] || bad+=$'\n'"${page#"$REPO_ROOT"/}: $out"
	done
	[ -z "$bad" ] || fail "$bad"
}

@test "completion files parse" {
	local f
	for f in "$REPO_ROOT"/completions/bash/*; do bash -n "$f"; done
	if command -v zsh >/dev/null; then
		for f in "$REPO_ROOT"/completions/zsh/*; do zsh -n "$f"; done
	fi
	if command -v fish >/dev/null; then
		for f in "$REPO_ROOT"/completions/fish/*; do fish -n "$f"; done
	fi
}

@test "bash completion offers subcommands, options and container IDs from the state dir" {
	mkdir -p "$PORTMAP_STATE_DIR/containers/web" "$PORTMAP_STATE_DIR/containers/db"
	complete_words() {
		bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _pm_alloc; printf "%s\n" "${COMPREPLY[@]}"' \
			sh "$REPO_ROOT/completions/bash/pm-alloc" "$@" | sort | xargs
	}
	assert_equal "$(complete_words pm-alloc '')" "allocate gc init list release show status update"
	assert_equal "$(complete_words pm-alloc release '')" "db web"
	assert_equal "$(complete_words pm-alloc --state-dir "$BATS_TEST_TMPDIR/none" show '')" ""
	assert_equal "$(complete_words pm-alloc init --per)" "--per-container"
}
