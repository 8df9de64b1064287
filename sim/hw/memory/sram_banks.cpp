#include "sim/hw/memory/sram_banks.hpp"

#include <algorithm>
#include <cmath>

namespace accsim {

BankCycle::BankCycle(const BufferSpec& b, double elem_bytes)
    : banks_(std::max<int64_t>(1, b.banks)),
      ports_(b.ports),
      elems_per_word_(b.word_bytes > 0 ? std::max(1.0, std::floor(static_cast<double>(b.word_bytes) / elem_bytes))
                                       : 1.0) {}

void BankCycle::clear() { words_.clear(); }

void BankCycle::touch(int64_t e, int accesses) {
  words_.emplace_back(static_cast<int64_t>(std::floor(static_cast<double>(e) / elems_per_word_)), accesses);
}

int64_t BankCycle::cycles() {
  if (words_.empty()) return 0;
  if (ports_ == 0) return 1;
  // Coalesce: per word the largest access count; then sum the accesses per bank.
  std::sort(words_.begin(), words_.end());
  std::vector<std::pair<int64_t, int>> per_bank;  // (bank, accesses of one distinct word)
  for (size_t i = 0; i < words_.size(); ++i) {
    if (i + 1 < words_.size() && words_[i + 1].first == words_[i].first) continue;  // keep the max (last)
    per_bank.emplace_back(words_[i].first % banks_, words_[i].second);
  }
  std::sort(per_bank.begin(), per_bank.end());
  int64_t busiest = 0;
  for (size_t i = 0; i < per_bank.size();) {
    int64_t load = 0;
    size_t j = i;
    for (; j < per_bank.size() && per_bank[j].first == per_bank[i].first; ++j) load += per_bank[j].second;
    busiest = std::max(busiest, load);
    i = j;
  }
  return (busiest + ports_ - 1) / ports_;
}

}  // namespace accsim
