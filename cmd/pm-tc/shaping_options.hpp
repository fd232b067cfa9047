// The shaping options shared by `pm-tc attach` and `pm-tc update`.
#pragma once
#include <CLI/CLI.hpp>

#include "tc/rate_config.hpp"

void add_shaping_options(CLI::App& sub, pm::tc::ShapingOptions& opt, bool is_update);
