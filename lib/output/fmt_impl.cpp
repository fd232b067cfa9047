// fmt's compiled part (what libfmt.so holds), built into every tool: the shared
// libfmt needs the shared libstdc++, and the tools link libstdc++ statically to
// start faster (Makefile, bench/60-stats.sh).  Debian's own fmt headers, so it
// is the same version as libfmt.so; tests/bats/060-stats.bats checks pm-stats
// loads neither shared library.
#include <fmt/format-inl.h>

FMT_BEGIN_NAMESPACE
namespace detail {
// Declared `extern template` by format.h; libfmt.so instantiates them (src/format.cc).
template FMT_API auto thousands_sep_impl<char>(locale_ref) -> thousands_sep_result<char>;
template FMT_API auto decimal_point_impl(locale_ref) -> char;
}  // namespace detail
FMT_END_NAMESPACE
