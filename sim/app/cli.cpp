#include "sim/app/cli.hpp"

#include <algorithm>

namespace accsim {

Args::Args(const std::vector<std::string>& argv, const std::vector<std::string>& flags,
           const std::vector<std::string>& switches) {
  auto is = [](const std::vector<std::string>& set, const std::string& s) {
    return std::find(set.begin(), set.end(), s) != set.end();
  };
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    if (a.rfind("--", 0) != 0 || a == "--") {
      positionals_.push_back(a);
      continue;
    }
    std::string name = a, value;
    bool inline_value = false;
    if (const auto eq = a.find('='); eq != std::string::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      inline_value = true;
    }
    if (is(switches, name)) {
      if (inline_value) throw UsageError(name + " takes no value");
      values_[name].push_back("true");
    } else if (is(flags, name)) {
      if (!inline_value) {
        if (i + 1 >= argv.size()) throw UsageError(name + " needs a value");
        value = argv[++i];
      }
      values_[name].push_back(value);
    } else {
      throw UsageError("unknown option " + name);
    }
  }
}

std::string Args::get(const std::string& flag, const std::string& fallback) const {
  auto it = values_.find(flag);
  return it == values_.end() ? fallback : it->second.back();
}

std::string Args::require(const std::string& flag) const {
  if (!has(flag)) throw UsageError("missing " + flag);
  return get(flag);
}

const std::vector<std::string>& Args::all(const std::string& flag) const {
  static const std::vector<std::string> none;
  auto it = values_.find(flag);
  return it == values_.end() ? none : it->second;
}

Registry<Command>& command_registry() {
  static Registry<Command> r("command");
  return r;
}

void register_command(const std::string& name, Command command) {
  command_registry().add(KindInfo{name, command.summary, {}, {}, {}, {}}, std::move(command));
}

std::map<std::string, Command> commands() {
  std::map<std::string, Command> out;
  for (const auto& [name, e] : command_registry().entries()) out.emplace(name, e.item);
  return out;
}

}  // namespace accsim
