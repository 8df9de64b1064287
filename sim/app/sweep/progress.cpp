#include "sim/app/sweep/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace accsim::sweep {

namespace {
constexpr double kTtyInterval = 0.1;     // s between redraws of the bar
constexpr double kPlainInterval = 10.0;  // s between plain progress lines
}  // namespace

std::string format_duration(double s) {
  char buf[32];
  const long t = static_cast<long>(s + 0.5);
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t % 3600) / 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%lds", t);
  return buf;
}

Progress::Progress(uint64_t total, uint64_t already_done, bool quiet)
    : total_(total), done_(already_done), start_done_(already_done), tty_(isatty(2) != 0), quiet_(quiet),
      start_(std::chrono::steady_clock::now()), last_(start_) {}

void Progress::point_done() {
  std::lock_guard<std::mutex> g(mutex_);
  ++done_;
}

void Progress::tick() {
  std::lock_guard<std::mutex> g(mutex_);
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_).count();
  if (since >= (tty_ ? kTtyInterval : kPlainInterval)) {
    last_ = now;
    draw(false);
  }
}

void Progress::finish() {
  std::lock_guard<std::mutex> g(mutex_);
  draw(true);
}

void Progress::draw(bool final) {
  if (quiet_) return;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const uint64_t new_done = done_ - start_done_;
  const double rate = elapsed > 0 ? new_done / elapsed : 0.0;
  const double pct = total_ ? 100.0 * done_ / total_ : 100.0;
  std::string eta = rate > 0 ? format_duration((total_ - done_) / rate) : "?";
  if (tty_) {
    constexpr int width = 30;
    const int filled = total_ ? static_cast<int>(width * done_ / total_) : width;
    std::string bar(static_cast<size_t>(filled), '#');
    bar.resize(width, '.');
    std::fprintf(stderr, "\r[%s] %llu/%llu %5.1f%%  %.1f points/s  %s %s   ", bar.c_str(),
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_), pct, rate,
                 final ? "elapsed" : "ETA", final ? format_duration(elapsed).c_str() : eta.c_str());
    if (final) std::fprintf(stderr, "\n");
  } else {
    std::fprintf(stderr, "accsim sweep: %llu/%llu points (%.1f%%), %.1f points/s, %s %s\n",
                 static_cast<unsigned long long>(done_), static_cast<unsigned long long>(total_), pct, rate,
                 final ? "elapsed" : "ETA", final ? format_duration(elapsed).c_str() : eta.c_str());
  }
  std::fflush(stderr);
}

}  // namespace accsim::sweep
