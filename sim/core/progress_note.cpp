#include "sim/core/progress_note.hpp"

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace accsim {

ProgressNote::ProgressNote(std::string command, std::string unit)
    : command_(std::move(command)), unit_(std::move(unit)), start_(std::chrono::steady_clock::now()), last_(start_) {
  const char* env = std::getenv("ACCSIM_PROGRESS");
  enabled_ = !(env && std::strcmp(env, "0") == 0);
  every_step_ = env && std::strcmp(env, "all") == 0;
}

void ProgressNote::step(size_t done, size_t total, const std::string& current) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  const double since_start = std::chrono::duration<double>(now - start_).count();
  if (!every_step_ &&
      (since_start < 3.0 || (last_ != start_ && std::chrono::duration<double>(now - last_).count() < 5.0)))
    return;
  last_ = now;
  const std::string label = current.size() > 60 ? current.substr(0, 60) + "..." : current;
  std::fprintf(stderr, "accsim %s: %zu/%zu %s%s%s%s, %.0f s\n", command_.c_str(), done, total, unit_.c_str(),
               label.empty() ? "" : " (", label.c_str(), label.empty() ? "" : ")", since_start);
}

}  // namespace accsim
