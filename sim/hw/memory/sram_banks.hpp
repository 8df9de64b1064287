#pragma once
// Bank conflicts of one SRAM buffer, cycle by cycle: the words one cycle touches are spread over
// the banks (word w in bank w mod banks), accesses to one word coalesce, and a bank serves `ports`
// words per cycle; the cycle's accesses take as many cycles as the busiest bank needs.
#include <cstdint>
#include <vector>

#include "sim/hw/memory/sram_buffer.hpp"

namespace accsim {

class BankCycle {
 public:
  // `elem_bytes`: bytes of one element the array asks for (the word size when word_bytes is 0).
  BankCycle(const BufferSpec& b, double elem_bytes);
  void clear();
  // `accesses` port accesses (2: a read-modify-write) to element `e` of the buffer's tile; the
  // same word touched again in the cycle coalesces (the larger count stays).
  void touch(int64_t e, int accesses = 1);
  // Cycles the touched words need: ceil(busiest bank's distinct words / ports); 0 if none.
  int64_t cycles();  // sorts the touched words
  bool ideal() const { return ports_ == 0; }

 private:
  int64_t banks_, ports_;
  double elems_per_word_;
  std::vector<std::pair<int64_t, int>> words_;  // (word, accesses) touched this cycle
};

}  // namespace accsim
