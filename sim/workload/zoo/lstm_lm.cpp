// The PTB word-level LSTM language model of the size used in the bank-balanced sparsity work
// (Cao et al., FPGA'19; Yao et al., AAAI'19): Zaremba et al. 2014's "large" model, 2 layers of
// 1500 units, vocabulary 10k, unrolled 35 steps, 66M parameters. (That BBS used this exact size is
// noted in the research notes as unconfirmed from the paper's text.)
#include "sim/workload/zoo/zoo.hpp"

namespace accsim {

namespace {

ZooNetwork lstm_lm(const ZooOptions& o) {
  ZooNetwork net;
  net.source = "Zaremba, Sutskever & Vinyals 2014 (arXiv 1409.2329) large PTB model: 2x1500 LSTM, 10k vocab, 35 steps";
  const int64_t hidden = scaled(1500, o.width), steps = o.seq_len ? o.seq_len : 35;
  const int64_t layers = scaled(2, o.depth);
  NetBuilder b(net.workload, o.batch);
  for (int64_t l = 0; l < layers; ++l) b.lstm("lstm" + std::to_string(l), hidden, hidden, steps);
  b.linear("softmax", o.batch * steps, hidden, 10000);
  return net;
}

const ZooRegistrar r("lstm-lm", "PTB LSTM LM (Zaremba large: 2x1500, 35 steps), the BBS paper's LSTM size", lstm_lm, {"seq_len"});

}  // namespace
}  // namespace accsim
