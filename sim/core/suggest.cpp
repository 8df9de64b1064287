#include "sim/core/suggest.hpp"

#include <algorithm>

namespace accsim {

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diag = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diag = up;
    }
  }
  return row[b.size()];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  if (word.size() > 200) return "";  // no quadratic work on absurd input
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  size_t best = limit + 1;
  const std::string* pick = nullptr;
  bool tie = false;
  for (const auto& c : candidates) {
    if (c == word || c.size() > 200) continue;
    const size_t d = edit_distance(word, c);
    if (d < best) {
      best = d, pick = &c, tie = false;
    } else if (d == best && pick && *pick != c) {
      tie = true;
    }
  }
  return pick && !tie ? " (did you mean '" + *pick + "'?)" : "";
}

}  // namespace accsim
