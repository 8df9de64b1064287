#pragma once
// Subcommand registry and a small argument parser shared by every `accsim` subcommand.
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/registry.hpp"

namespace accsim {

// Parsed `--flag value` / `--flag=value` / `--switch` arguments plus positionals.
class Args {
 public:
  // `flags`: options taking a value (repeatable ones collect every value); `switches`: no value.
  Args(const std::vector<std::string>& argv, const std::vector<std::string>& flags,
       const std::vector<std::string>& switches);
  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::string get(const std::string& flag, const std::string& fallback = "") const;
  std::string require(const std::string& flag) const;
  const std::vector<std::string>& all(const std::string& flag) const;
  const std::vector<std::string>& positionals() const { return positionals_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positionals_;
};

// A usage error: printed as one line, exit status 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Command {
  std::string summary;
  std::string usage;
  std::function<int(const std::vector<std::string>& args)> run;
};

// Subcommands live in the shared Registry template (sim/core/registry.hpp), keyed by name.
Registry<Command>& command_registry();
void register_command(const std::string& name, Command command);
std::map<std::string, Command> commands();  // name -> command, sorted by name

struct CommandRegistrar {
  CommandRegistrar(const std::string& name, Command command) { register_command(name, std::move(command)); }
};

}  // namespace accsim
