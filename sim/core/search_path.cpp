#include "sim/core/search_path.hpp"

#include <cstdlib>
#include <filesystem>
#include <system_error>

#include "sim/core/error.hpp"

namespace accsim {

namespace fs = std::filesystem;

namespace {

bool is_file(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec);
}

bool looks_like_path(const std::string& v) {
  const fs::path p(v);
  return v.find('/') != std::string::npos || p.extension() == ".yaml" || p.extension() == ".yml";
}

std::vector<fs::path> search_folders(const std::string& arch_dir) {
  std::vector<fs::path> dirs{arch_dir.empty() ? fs::path(".") : fs::path(arch_dir)};
  if (const char* env = std::getenv("ACCSIM_PATH")) {
    std::string list = env;
    size_t start = 0;
    while (start <= list.size()) {
      const size_t end = std::min(list.find(':', start), list.size());
      if (end > start) {
        dirs.emplace_back(list.substr(start, end - start));
        dirs.emplace_back(fs::path(list.substr(start, end - start)) / "energy");
      }
      start = end + 1;
    }
  }
  if (const std::string builtin = builtin_energy_dir(); !builtin.empty()) dirs.emplace_back(builtin);
  return dirs;
}

}  // namespace

std::string builtin_energy_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (ec) return "";
  fs::path dir = exe.parent_path();
  for (int up = 0; up < 4 && !dir.empty(); ++up, dir = dir.parent_path()) {
    for (const fs::path& candidate : {dir / "configs" / "energy", dir / "share" / "accsim" / "configs" / "energy"})
      if (fs::is_directory(candidate, ec)) return candidate.lexically_normal().string();
    if (dir == dir.root_path()) break;
  }
  return "";
}

ResolvedTable resolve_energy_table(const std::string& value, const std::string& arch_dir) {
  const std::string builtin = builtin_energy_dir();
  auto portable = [&](const fs::path& p) {
    const fs::path abs = fs::absolute(p).lexically_normal();
    if (!builtin.empty() && abs.parent_path() == fs::path(builtin) && abs.extension() == ".yaml") return abs.stem().string();
    return abs.string();
  };
  if (looks_like_path(value)) {
    const fs::path p = fs::path(value).is_absolute() ? fs::path(value) : fs::path(arch_dir) / value;
    if (!is_file(p)) throw InputError("file not found: " + p.string());
    return {p.string(), portable(p)};
  }
  std::string tried;
  for (const auto& dir : search_folders(arch_dir)) {
    const fs::path p = dir / (value + ".yaml");
    if (is_file(p)) return {p.string(), fs::path(p).parent_path() == fs::path(builtin) ? value : portable(p)};
    tried += (tried.empty() ? "" : ", ") + dir.string();
  }
  throw InputError("energy table '" + value + "' not found as " + value + ".yaml in: " + tried +
                   " (set ACCSIM_PATH, or give a path)");
}

}  // namespace accsim
