#pragma once

#include <CLI/CLI.hpp>

#include <memory>

#include "cli/commands.h"

namespace grove::cli {

// Makes choosing `sub` on the command line set `*action` to fn(global, *args),
// where `args` holds the flags every subcommand of one command parses into.
template <typename Args>
void Bind(CLI::App* sub, GlobalOptions& global, Action* action, const std::shared_ptr<Args>& args,
          int (*fn)(const GlobalOptions&, const Args&)) {
  sub->callback([&global, action, args, fn] { *action = [&global, args, fn] { return fn(global, *args); }; });
}

}  // namespace grove::cli
