#!/usr/bin/env bats
# How the tools are linked: lld lays out together the functions of their
# everyday runs (cmd/TOOL/hot-functions.txt), so that a run faults in few
# pages of code.  The lists are made by scripts/hot-functions;
# these tests say when a list has gone stale or is not applied.

bats_require_minimum_version 1.5.0
load helpers

# hot_layout TOOL: "FOUND LISTED SPAN BYTES": how many listed names the binary
# defines, how many are listed, the address span of the found ones and their
# total size.
hot_layout() {
	nm -S --defined-only "$PM_BUILD/$1" | python3 -c '
import sys
listed = [l.strip() for l in open(sys.argv[1]) if l.strip()]
where = {}
for line in sys.stdin:
    f = line.split()
    if len(f) == 4 and f[2] in "tTwW":
        where.setdefault(f[3], (int(f[0], 16), int(f[1], 16)))
found = [where[n] for n in set(listed) if n in where]
span = max(a + s for a, s in found) - min(a for a, s in found)
print(len(found), len(set(listed)), span, sum(s for a, s in found))
' "$REPO_ROOT/cmd/$1/hot-functions.txt"
}

linked_by_lld() { readelf -p .comment "$PM_BUILD/$1" | grep -q 'LLD'; }

@test "each tool has a current hot-function list (scripts/hot-functions writes them)" {
	local tool found listed span bytes
	for tool in pm-alloc pm-netns pm-tc pm-stats pm-rlimit-exec; do
		[ -s "$REPO_ROOT/cmd/$tool/hot-functions.txt" ]
		read -r found listed span bytes < <(hot_layout "$tool")
		echo "$tool: $found of $listed listed functions defined"
		# Refactoring renames some; most gone means the list no longer helps.
		((found * 10 >= listed * 9))
	done
}

@test "lld puts the listed functions together (not spread over the binary)" {
	local tool found listed span bytes
	for tool in pm-alloc pm-netns pm-tc pm-stats pm-rlimit-exec; do
		linked_by_lld "$tool" || skip "$tool was not linked by lld (TOOL_LD)"
		read -r found listed span bytes < <(hot_layout "$tool")
		echo "$tool: $found functions, $bytes bytes, spread over $span bytes"
		# Ordered, ~1.5x their size (a listed function's whole input section
		# moves, and a C library or libnl object holds several functions);
		# unordered they spread over the whole text, ~4-6x.
		((span <= 2 * bytes))
	done
}
