// accsim: cycle-level simulator of accelerators for compressed neural networks.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "sim/app/cli.hpp"
#include "sim/core/error.hpp"

namespace {

void print_help() {
  std::cout << "accsim: cycle-level simulation of accelerators for compressed neural networks\n\n"
               "usage: accsim <command> [options]\n\ncommands:\n";
  for (const auto& [name, cmd] : accsim::commands()) std::cout << "  " << name << "\t" << cmd.summary << "\n";
  std::cout << "\n`accsim <command> --help` shows a command's options. Docs: docs/ and README.md.\n";
}

}  // namespace

int main(int argc, char** argv) {
  // The SystemC kernel prints a banner unless told not to; results on stdout must stay clean.
  setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 1);
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_help();
    return args.empty() ? 2 : 0;
  }
  const auto& cmds = accsim::commands();
  auto it = cmds.find(args[0]);
  if (it == cmds.end()) {
    std::cerr << "accsim: unknown command '" << args[0] << "' (try accsim --help)\n";
    return 2;
  }
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (!rest.empty() && (rest[0] == "--help" || rest[0] == "-h")) {
    std::cout << "usage: " << it->second.usage << "\n";
    return 0;
  }
  try {
    return it->second.run(rest);
  } catch (const accsim::UsageError& e) {
    std::cerr << "accsim " << args[0] << ": " << e.what() << "\nusage: " << it->second.usage << "\n";
    return 2;
  } catch (const accsim::InputError& e) {
    std::cerr << "accsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // Every path accsim touches comes from the user (a name too long, a permission): bad input.
    std::cerr << "accsim: error: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "accsim: internal error: " << e.what() << "\n";
    return 1;
  }
}
