// DramChannel::read_each_at: each extent's arrival on the bandwidth queue, worked by hand.
// 1 GB/s = 1 byte per ns, latency 10 ns.
#include <gtest/gtest.h>

#include <systemc>

#include "sim/hw/memory/dram_channel.hpp"

namespace accsim {
namespace {

sc_core::sc_time ns(double v) { return sc_core::sc_time(v, sc_core::SC_NS); }

TEST(DramChannelReadEach, PrefixArrivalsAndSameQueueAsOneTransfer) {
  DramSpec spec;
  spec.bandwidth_gb_s = 1;
  spec.latency_ns = 10;
  DramChannel dram("dram", spec);
  std::vector<sc_core::sc_time> arr;
  // 64, 64 and 32 B issued at 0: their bytes cross by 64, 128 and 160 ns, + 10 ns latency.
  const sc_core::sc_time done = dram.read_each_at(ns(0), {Extent{0, 64}, Extent{64, 64}, Extent{4096, 32}}, arr);
  ASSERT_EQ(arr.size(), 3u);
  EXPECT_EQ(arr[0], ns(74));
  EXPECT_EQ(arr[1], ns(138));
  EXPECT_EQ(arr[2], ns(170));
  EXPECT_EQ(done, ns(170));  // = transfer_at(0, 160 B)
  // Issued at 100 ns, the queue is busy until 160: 64 B cross by 224, arrive at 234.
  EXPECT_EQ(dram.read_each_at(ns(100), {Extent{0, 64}}, arr), ns(234));
  EXPECT_EQ(arr[0], ns(234));
  EXPECT_EQ(dram.read_bytes(), 224u);
  // The same two reads as plain transfers: the same completions.
  DramChannel plain("dram", spec);
  EXPECT_EQ(plain.transfer_at(ns(0), 160, false), ns(170));
  EXPECT_EQ(plain.transfer_at(ns(100), 64, false), ns(234));
}

}  // namespace
}  // namespace accsim
