#include "sim/core/progress_note.hpp"
#include "sim/core/safe_file.hpp"
#include "sim/app/trace_builder.hpp"

#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "sim/workload/compress/prune.hpp"
#include "sim/workload/compress/structural.hpp"
#include "sim/workload/compress/quantize.hpp"
#include "sim/workload/compress/synthetic_fast.hpp"
#include "sim/import/onnx.hpp"
#include "sim/workload/side_file.hpp"
#include "sim/workload/trace.hpp"
#include "sim/workload/trace_writer.hpp"
#include "sim/import/weights_io.hpp"
#include "sim/workload/zoo/llm.hpp"

namespace accsim {

namespace {

namespace fs = std::filesystem;

std::string num(double v) { return yaml_number(v); }

WeightMask mask_of_nonzeros(const std::vector<float>& w, int64_t rows, int64_t cols) {
  WeightMask m;
  m.rows = rows;
  m.cols = cols;
  m.keep.assign(w.size(), false);
  for (size_t i = 0; i < w.size(); ++i)
    if (w[i] != 0.0f) m.keep.set(i);
  return m;
}

// The pattern a given mask follows: N:M when every group of 4 (or 8) along a row holds at most
// half nonzeros (the structured-sparse hardware formats), else unstructured.
Compression detect_pattern(const WeightMask& m) {
  Compression c;
  c.pattern = SparsityPattern::Unstructured;
  c.density = m.density();
  for (int64_t group : {4, 8}) {
    if (m.cols % group) continue;
    int64_t most = 0;
    for (int64_t r = 0; r < m.rows; ++r)
      for (int64_t k0 = 0; k0 < m.cols; k0 += group) {
        const int64_t n = m.row_nonzeros(r, k0, k0 + group);
        most = std::max(most, n);
      }
    if (most > 0 && 2 * most <= group) {
      c.pattern = SparsityPattern::NM;
      c.nm_n = static_cast<int>(most);
      c.nm_m = static_cast<int>(group);
      return c;
    }
  }
  return c;
}

class Builder {
 public:
  explicit Builder(const TraceRequest& r) : req_(r) {}
  TraceSummary run();
  std::vector<KeptRow> kept_report(const std::vector<std::string>& specs);

 private:
  std::vector<float> weights_for(const PassLayer& it, bool* real = nullptr) const;
  void load();
  void structural();
  int64_t params() const;
  int64_t macs() const;
  void record_pass(const std::string& yaml_fields);
  Compression prune_spec_for(const PassLayer& it, const Compression& base) const;

  const TraceRequest& req_;
  ZooNetwork net_;
  std::vector<PassLayer> items_;
  std::optional<WeightStore> store_;
  mutable std::set<std::string> real_weights_used_;
  mutable std::mutex mutex_;
  std::vector<std::string> passes_;
};

std::vector<float> Builder::weights_for(const PassLayer& it, bool* real) const {
  if (real) *real = false;
  if (it.weights) return *it.weights;
  int64_t rows = 0, cols = 0;
  weight_shape(it.layer, rows, cols);
  if (store_) {
    if (auto w = store_->get(it.owner, rows, cols)) {
      std::lock_guard<std::mutex> lock(mutex_);
      real_weights_used_.insert(it.owner);
      if (real) *real = true;
      return *w;
    }
  }
  return synthetic_weights(rows, cols, synthetic_seed(req_.seed, it.owner));
}

int64_t Builder::params() const {
  std::set<std::string> seen;
  int64_t total = 0;
  for (const auto& it : items_)
    if (has_weights(it.layer) && seen.insert(it.owner).second) total += layer_weight_count(it.layer) * it.layer.repeat;
  return total;
}

int64_t Builder::macs() const {
  int64_t total = 0;
  for (const auto& it : items_) total += layer_macs(it.layer) * it.layer.repeat;
  return total;
}

void Builder::record_pass(const std::string& fields) {
  passes_.push_back("    - {" + fields + ", params_after: " + std::to_string(params()) + ", macs_after: " +
                    std::to_string(macs()) + "}\n");
}


Compression Builder::prune_spec_for(const PassLayer& it, const Compression& base) const {
  Compression c = base;
  for (const auto& r : req_.prune_layers)
    if (name_matches(r.glob, it.layer.name)) c = parse_prune_spec(r.value, SourceLocation{"--prune-layer", 0, r.glob + "=" + r.value});
  if (it.exempt || !has_weights(it.layer)) c = Compression{};
  return c;
}

void Builder::load() {
  if (!req_.onnx.empty()) {
    const ZooOptions& z = req_.zoo;
    if (!z.mode.empty() || z.context || !z.kv_dtype.empty() || z.width != 1.0 || z.depth != 1.0)
      throw InputError("--onnx takes --batch, --seq-len and --image (for the graph's symbolic dimensions); not --mode, --context, --kv-dtype, --width or --depth");
    OnnxImport imp = import_onnx(req_.onnx, OnnxDims{z.batch, req_.batch_given, z.seq_len, z.image});
    net_ = std::move(imp.network);
    net_.workload.name = fs::path(req_.onnx).stem().string();
    for (auto& l : net_.workload.layers) l.origin = SourceLocation{req_.onnx, 0, l.name};
    if (req_.weights_path.empty()) store_ = std::move(imp.weights);
  } else if (!req_.hf_config.empty()) {
    if (req_.zoo.image) throw InputError("--hf-config models take --seq-len, --mode, --context, --kv-dtype, not --image");
    const DecoderConfig c = read_hf_config(req_.hf_config);
    net_ = build_decoder(c, req_.zoo, "the --hf-config model");
    net_.workload.name = c.model_type;
    for (auto& l : net_.workload.layers) l.origin = SourceLocation{req_.hf_config, 0, l.name};
  } else if (!req_.from_trace.empty()) {
    // Shapes and dtypes from an existing trace (its compression is replaced by this run's passes).
    net_.workload = read_trace_file(req_.from_trace);
    net_.source = "layers of " + fs::path(req_.from_trace).filename().string();
  } else {
    net_ = build_network(req_.network, req_.zoo);
  }
  if (!req_.weights_path.empty()) store_ = WeightStore::open(req_.weights_path);
  // First and last weight layers of the network as built (before any pass).
  std::string first, last;
  for (const auto& l : net_.workload.layers)
    if (has_weights(l)) {
      if (first.empty()) first = l.name;
      last = l.name;
    }
  std::set<std::string> names;
  for (const auto& l : net_.workload.layers)
    if (!names.insert(l.name).second)
      throw InputError(l.origin, "two layers are named '" + l.name + "'; the side file needs unique layer names");
  for (const auto& l : net_.workload.layers) {
    check_layer_size(l);  // before params()/macs() multiply its sizes (a --from trace is unchecked so far)
    PassLayer it;
    it.layer = l;
    it.origin = l.name;
    auto sh = net_.shares_weights_of.find(l.name);
    it.owner = sh == net_.shares_weights_of.end() ? l.name : sh->second;
    it.exempt = (req_.exempt_first && l.name == first) || (req_.exempt_last && l.name == last);
    items_.push_back(std::move(it));
  }
}

void Builder::structural() {
  if (req_.depthwise_separable)
    record_pass("pass: depthwise_separable, layers_replaced: " + std::to_string(substitute_depthwise_separable(items_)));
  if (!req_.low_rank.empty()) {
    const int64_t n = factorize_low_rank(items_, LowRankOptions{req_.low_rank, req_.conv_decomposition, req_.low_rank_layers},
                                         [this](const PassLayer& it) { return weights_for(it); });
    record_pass("pass: low_rank, target: " + yaml_quote(req_.low_rank) + ", conv_method: " + yaml_quote(req_.conv_decomposition) +
                ", layers: " + yaml_quote(req_.low_rank_layers) + ", layers_factorized: " + std::to_string(n));
  }
}

std::vector<KeptRow> Builder::kept_report(const std::vector<std::string>& specs) {
  load();
  std::vector<Compression> cs;
  for (const auto& sp : specs) cs.push_back(parse_prune_spec(sp, SourceLocation{"--kept-report", 0, sp}));
  for (const auto& it : items_) {
    if (!has_weights(it.layer) || it.exempt) continue;
    int64_t rows = 0, cols = 0;
    weight_shape(it.layer, rows, cols);
    for (size_t k = 0; k < cs.size(); ++k) check_pattern_fits(cs[k], rows, cols, SourceLocation{"--kept-report", 0, it.layer.name});
  }
  structural();
  std::vector<KeptMagnitude> kept(cs.size());
  std::vector<int64_t> kept_n(cs.size(), 0);
  int64_t total = 0;
  std::set<std::string> seen;
  for (const auto& it : items_) {
    if (!has_weights(it.layer) || it.exempt || !seen.insert(it.owner).second) continue;
    int64_t rows = 0, cols = 0;
    weight_shape(it.layer, rows, cols);
    const std::vector<float> w = weights_for(it);
    total += rows * cols;
    for (size_t k = 0; k < cs.size(); ++k) {
      const WeightMask m = prune_weights(w, rows, cols, cs[k], SourceLocation{"--kept-report", 0, it.layer.name});
      kept[k].add(w, m);
      kept_n[k] += m.nonzeros();
    }
  }
  std::vector<KeptRow> rows;
  for (size_t k = 0; k < cs.size(); ++k)
    rows.push_back({specs[k], total ? static_cast<double>(kept_n[k]) / static_cast<double>(total) : 1.0, kept[k].l1(), kept[k].l2()});
  return rows;
}

TraceSummary Builder::run() {
  if (req_.out.empty()) throw InputError("--out is required");
  load();
  const std::string weights_name = !req_.weights_path.empty() ? fs::path(req_.weights_path).filename().string()
                                   : !req_.onnx.empty()         ? fs::path(req_.onnx).filename().string()
                                                                : "synthetic";
  TraceSummary s;
  s.params_before = params();
  s.macs_before = macs();
  if (req_.network.size() && (req_.zoo.width != 1.0 || req_.zoo.depth != 1.0)) {
    // A student network: "before" is the full-size teacher, the multipliers are the first pass.
    ZooOptions full = req_.zoo;
    full.width = full.depth = 1.0;
    const ZooNetwork teacher = build_network(req_.network, full);
    s.params_before = network_params(teacher);
    s.macs_before = network_macs(teacher.workload);
    record_pass("pass: width_depth_multiplier, width: " + num(req_.zoo.width) + ", depth: " + num(req_.zoo.depth));
  }

  // Options are checked before any heavy work, so a bad one costs nothing and writes nothing.
  Compression base;
  const bool pruning = !req_.prune.empty() || !req_.prune_layers.empty();
  const bool existing = req_.prune == "existing";
  if (existing && !store_) throw InputError("--prune existing keeps the zeros of real weights: it needs --weights");
  if (!req_.prune.empty() && !existing) base = parse_prune_spec(req_.prune, SourceLocation{"--prune", 0, req_.prune});
  if (existing) {
    // A placeholder pattern: each layer's real mask (and its N:M shape, if any) is found from its zeros.
    base.pattern = SparsityPattern::Unstructured;
    base.density = 1.0;
  }
  if (req_.prune_global && base.pattern != SparsityPattern::Unstructured)
    throw InputError("--prune-scope global applies to unstructured pruning only (per-layer patterns keep their own budgets)");
  for (const auto& r : req_.prune_layers) parse_prune_spec(r.value, SourceLocation{"--prune-layer", 0, r.glob + "=" + r.value});
  std::optional<DType> quant;
  if (!req_.quant.empty()) {
    DType t;
    if (!parse_dtype(req_.quant, t) || !quantizable(t)) throw InputError("--quant '" + req_.quant + "': expected int2..int16, fp8_e4m3, fp8_e5m2, fp16 or bf16");
    quant = t;
  }
  for (const auto& r : req_.quant_layers) {
    DType t;
    if (r.value != "none" && (!parse_dtype(r.value, t) || !quantizable(t)))
      throw InputError("--quant-layer " + r.glob + "=" + r.value + ": expected a quantizable dtype or none");
  }
  DType act;
  if (!req_.act_dtype.empty() && !parse_dtype(req_.act_dtype, act)) throw InputError("--act-dtype: unknown dtype '" + req_.act_dtype + "'");
  if (req_.quant_group > 0) {
    if (!quant || !quant->is_integer()) throw InputError("--quant-group needs an integer --quant format (int2..int16)");
    if (req_.store_values) throw InputError("--quant-group with --store-values: the side file (version 1) holds one scale per tensor or row only");
    if (req_.per_channel) throw InputError("--quant-group and --quant-granularity channel are alternatives: give one");
  }
  // `--quant T` quantizes activations too (int8 = W8A8, fp8_e4m3 = FP8 W8A8) unless --act-dtype says
  // otherwise; group-wise quantization is weight-only (GPTQ/AWQ), activations keep their format.
  std::optional<DType> act_format;
  if (!req_.act_dtype.empty()) act_format = act;
  else if (quant && req_.quant_group == 0) act_format = *quant;

  structural();

  std::vector<Compression> specs;
  for (const auto& it : items_) {
    specs.push_back(prune_spec_for(it, base));
    int64_t rows = 0, cols = 0;
    if (has_weights(it.layer)) {
      weight_shape(it.layer, rows, cols);
      check_pattern_fits(specs.back(), rows, cols, SourceLocation{"--prune", 0, it.layer.name});
    }
  }
  std::optional<float> threshold;
  if (req_.prune_global) {
    GlobalThreshold g;
    std::set<std::string> seen;
    auto global_item = [&](size_t i) {
      return specs[i].pattern == SparsityPattern::Unstructured && specs[i].density == base.density && seen.insert(items_[i].owner).second;
    };
    ProgressNote progress("trace", "layers scanned for the global threshold");
    for (size_t i = 0; i < items_.size(); ++i) {
      if (global_item(i)) g.add(weights_for(items_[i]));
      progress.step(i + 1, 2 * items_.size(), items_[i].layer.name);
    }
    g.select(base.density);
    seen.clear();
    for (size_t i = 0; i < items_.size(); ++i) {
      if (global_item(i)) g.refine(weights_for(items_[i]));
      progress.step(items_.size() + i + 1, 2 * items_.size(), items_[i].layer.name);
    }
    threshold = g.exact();
  }

  const fs::path out_path(req_.out);
  const std::string side_name = out_path.stem().string() + ".weights.bin";
  const fs::path side_path = out_path.parent_path() / side_name;
  // Both destinations are checked before the first write; the side file goes to an exclusive
  // temporary (sim/core/safe_file.hpp) that is removed unless the whole trace succeeds.
  check_output_path(req_.out, "trace --out file");
  check_output_path(side_path.string(), "side file");
  SafeOutputFile side_out(side_path.string(), "side file");
  SideFileWriter side(side_out.stream(), side_path.string());
  KeptMagnitude total_kept;
  bool any_entry = false;
  // The result of one layer's pruning and quantization, made in parallel and written in order.
  struct Pending {
    bool entry = false;
    SideEntry e;
    WeightMask mask;
    std::vector<uint8_t> packed;  // the fast path's bit-packed mask (then `mask` is unused)
    bool is_packed = false;
    std::vector<uint8_t> codes;
    KeptMagnitude kept;
    std::string error;  // an InputError raised in a worker, rethrown in order
  };
  // Synthetic weights, N:M or no pruning, symmetric integer formats: computed on weight codes.
  auto fast_layer = [&](PassLayer& it, const Compression& c, const std::optional<DType>& fmt, int64_t rows, int64_t cols, Pending& out) {
    std::optional<FastQuant> fq;
    if (fmt) fq = FastQuant{*fmt, req_.per_channel, req_.quant_group};
    FastLayer f = fast_synthetic_layer(rows, cols, synthetic_seed(req_.seed, it.owner), c, fq);
    it.nonzeros = f.nonzeros;
    if (it.pruned) {
      out.kept = f.kept;
      it.kept_l1 = f.kept.l1();
      it.kept_l2 = f.kept.l2();
      Compression& lc = it.layer.weights.compression;
      lc = c;
      lc.density = static_cast<double>(f.nonzeros) / (static_cast<double>(rows) * static_cast<double>(cols));
      lc.seed = req_.seed;
      out.packed = std::move(f.mask_bits);
      out.is_packed = out.entry = true;
      out.e.name = it.layer.name;
    }
    if (fmt) {
      it.quantized = true;
      it.quant_error = f.quant_rel_l2_error;
      it.layer.weights.dtype = *fmt;
      if (req_.quant_group > 0) it.layer.weights.group = QuantGroup{req_.quant_group, 16, 0};
    }
  };
  auto work = [&](size_t i, Pending& out) {
    PassLayer& it = items_[i];
    if (act_format) {
      it.layer.activations.dtype = it.layer.outputs.dtype = *act_format;
      it.layer.accumulators.dtype = default_accumulator(*act_format);
      // The KV cache follows the activations unless --kv-dtype set it.
      if (it.layer.has_kv_cache && req_.zoo.kv_dtype.empty()) it.layer.kv_cache.dtype = *act_format;
    }
    if (!has_weights(it.layer)) return;
    int64_t rows = 0, cols = 0;
    weight_shape(it.layer, rows, cols);
    // Exemption is from pruning and factorization; precision is set per layer by --quant-layer.
    std::optional<DType> fmt = quant;
    for (const auto& r : req_.quant_layers)
      if (name_matches(r.glob, it.layer.name)) {
        DType t;
        parse_dtype(r.value, t);  // checked above
        fmt = r.value == "none" ? std::nullopt : std::optional<DType>(t);
      }
    const Compression& c = specs[i];
    it.pruned = !c.is_dense();
    if (!it.pruned && !fmt) {
      it.nonzeros = rows * cols;
      return;
    }
    const bool synthetic = !it.weights && !(store_ && store_->has(it.owner));
    const bool asym_fmt = req_.asymmetric && fmt && fmt->is_integer();
    const bool global = threshold && c.pattern == SparsityPattern::Unstructured && c.density == base.density;
    if (synthetic && !existing && !global && !req_.store_values && fast_path_applies(c, fmt, req_.per_channel, asym_fmt)) {
      fast_layer(it, c, fmt, rows, cols, out);
      return;
    }
    bool real = false;
    std::vector<float> w = weights_for(it, &real);
    WeightMask& mask = out.mask;
    if (existing && it.pruned && c.density == 1.0 && c.pattern == SparsityPattern::Unstructured) {
      mask = mask_of_nonzeros(w, rows, cols);
      it.pruned = real && mask.nonzeros() < rows * cols;
      if (it.pruned) {
        Compression& lc = it.layer.weights.compression;
        lc = detect_pattern(mask);
        lc.seed = req_.seed;
      } else if (!fmt) {
        it.nonzeros = rows * cols;
        return;
      }
    } else if (it.pruned) {
      const SourceLocation where{"--prune", 0, it.layer.name};
      mask = threshold && c.pattern == SparsityPattern::Unstructured && c.density == base.density
                 ? prune_by_threshold(w, rows, cols, *threshold)
                 : prune_weights(w, rows, cols, c, where);
      // One pass: magnitude kept, pruned weights zeroed, nonzeros counted.
      KeptMagnitude& k = out.kept;
      int64_t nz = 0;
      for (size_t j = 0; j < w.size(); ++j) {
        const double a = std::fabs(static_cast<double>(w[j]));
        k.l1_total += a;
        k.l2_total += a * a;
        if (mask.keep.test(j)) {
          k.l1_kept += a;
          k.l2_kept += a * a;
          ++nz;
        } else {
          w[j] = 0.0f;
        }
      }
      it.kept_l1 = k.l1();
      it.kept_l2 = k.l2();
      Compression& lc = it.layer.weights.compression;
      lc = c;
      lc.density = static_cast<double>(nz) / static_cast<double>(w.size());
      lc.seed = req_.seed;
    } else {
      mask.rows = rows;
      mask.cols = cols;
      mask.keep.assign(w.size(), true);
    }
    it.nonzeros = mask.nonzeros();
    out.e.name = it.layer.name;
    if (fmt) {
      // Asymmetric ranges are an integer notion; float layers of a mixed network stay symmetric.
      const bool asym = req_.asymmetric && fmt->is_integer();
      QuantResult q = quantize(w, rows, cols, QuantSpec{*fmt, req_.per_channel, asym, req_.quant_group});
      it.quantized = true;
      it.quant_error = q.rel_l2_error;
      it.layer.weights.dtype = *fmt;
      if (req_.quant_group > 0) it.layer.weights.group = QuantGroup{req_.quant_group, 16, asym ? fmt->bits : 0};
      if (req_.store_values) {
        out.e.value_kind = fmt->is_float() ? 2 : 1;
        out.e.bits = static_cast<uint8_t>(fmt->bits);
        out.e.flags = static_cast<uint8_t>((req_.per_channel ? 1 : 0) | (asym ? 2 : 0));
        out.e.scales = std::move(q.scales);
        out.e.zero_points = std::move(q.zero_points);
        out.codes = std::move(q.codes);
      }
    }
    out.entry = it.pruned || req_.store_values;
  };
  // Layers are independent: workers take them in order and the main thread writes each one as
  // soon as it and all before it are done (streaming), so the output does not depend on the thread
  // count. Workers run at most `ahead` layers past the writer, bounding memory.
  const size_t threads = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  const size_t n_items = items_.size(), ahead = 2 * threads;
  std::vector<std::unique_ptr<Pending>> done(n_items);
  std::mutex lock;
  std::condition_variable changed;
  size_t next = 0, written = 0;
  bool stop = false;
  std::vector<std::thread> pool;
  ProgressNote progress("trace", "layers");
  for (size_t t = 0; t < std::min(threads, n_items); ++t)
    pool.emplace_back([&]() {
      for (;;) {
        size_t i = 0;
        {
          std::unique_lock<std::mutex> g(lock);
          changed.wait(g, [&] { return stop || next >= n_items || next < written + ahead; });
          if (stop || next >= n_items) return;
          i = next++;
        }
        auto p = std::make_unique<Pending>();
        try {
          work(i, *p);
        } catch (const std::exception& e) {
          p->error = e.what();
        }
        {
          std::lock_guard<std::mutex> g(lock);
          done[i] = std::move(p);
        }
        changed.notify_all();
      }
    });
  auto halt = [&] {
    {
      std::lock_guard<std::mutex> g(lock);
      stop = true;
    }
    changed.notify_all();
    for (auto& th : pool) th.join();
  };
  // Any exception below (a bad layer, a failed write) must join the workers before unwinding.
  try {
    for (size_t i = 0; i < n_items; ++i) {
      std::unique_ptr<Pending> p;
      {
        std::unique_lock<std::mutex> g(lock);
        changed.wait(g, [&] { return done[i] != nullptr; });
        p = std::move(done[i]);
      }
      if (!p->error.empty()) throw InputError(p->error);
      total_kept.l1_kept += p->kept.l1_kept;
      total_kept.l1_total += p->kept.l1_total;
      total_kept.l2_kept += p->kept.l2_kept;
      total_kept.l2_total += p->kept.l2_total;
      if (p->entry) {
        int64_t rows = 0, cols = 0;
        weight_shape(items_[i].layer, rows, cols);
        if (p->is_packed) side.add_packed(std::move(p->e), rows, cols, p->packed);
        else side.add(std::move(p->e), p->mask, p->codes);
        items_[i].has_entry = any_entry = true;
      }
      p.reset();
      {
        std::lock_guard<std::mutex> g(lock);
        written = i + 1;
      }
      changed.notify_all();
      progress.step(i + 1, n_items, items_[i].layer.name);
    }
  } catch (...) {
    halt();
    throw;
  }
  halt();
  if (pruning) {
    std::string f = "pass: prune, spec: " + yaml_quote(req_.prune) + ", scope: " + (req_.prune_global ? "global" : "layer");
    for (const auto& r : req_.prune_layers) f += ", " + yaml_quote("layer " + r.glob) + ": " + yaml_quote(r.value);
    int64_t nz = 0;
    std::set<std::string> owners;
    for (const auto& it : items_)
      if (has_weights(it.layer) && owners.insert(it.owner).second) nz += it.nonzeros * it.layer.repeat;
    f += ", nonzeros_after: " + std::to_string(nz) + ", kept_l1: " + num(total_kept.l1()) + ", kept_l2: " + num(total_kept.l2());
    record_pass(f);
  }
  if (quant || !req_.quant_layers.empty()) {
    std::string f = "pass: quantize, format: " + yaml_quote(req_.quant) + ", granularity: " + (req_.per_channel ? "channel" : "tensor") +
                    ", mode: " + (req_.asymmetric ? "asymmetric" : "symmetric") + ", values_stored: " + (req_.store_values ? "true" : "false");
    if (req_.quant_group > 0) f += ", group: " + std::to_string(req_.quant_group) + ", scales: fp16";
    if (act_format) f += ", activations: " + act_format->name;
    for (const auto& r : req_.quant_layers) f += ", " + yaml_quote("layer " + r.glob) + ": " + yaml_quote(r.value);
    record_pass(f);
  }
  const std::string checksum = side.finish();

  s.params_after = params();
  s.macs_after = macs();
  s.layers = items_.size();
  s.kept_l1 = total_kept.l1();
  s.kept_l2 = total_kept.l2();
  int64_t effectual = 0;
  std::set<std::string> owners;
  for (const auto& it : items_) {
    if (has_weights(it.layer) && owners.insert(it.owner).second) s.nonzeros_after += it.nonzeros * it.layer.repeat;
    effectual += static_cast<int64_t>(std::llround(static_cast<double>(layer_macs(it.layer) * it.layer.repeat) *
                                                   (it.pruned ? it.layer.weights.compression.density : 1.0)));
  }

  std::ostringstream y;
  y << "# Written by `accsim trace` (docs/workloads.md). Masks" << (req_.store_values ? " and quantized values" : "")
    << " of compressed layers are in the side file named by mask_file.\n";
  y << "format: accsim-trace\nversion: 1\nname: " << yaml_quote(net_.workload.name) << "\n";
  y << "description: " << yaml_quote(net_.source) << "\n";
  y << "provenance:\n  tool: accsim trace\n";
  if (!req_.onnx.empty()) y << "  onnx: " << yaml_quote(fs::path(req_.onnx).filename().string()) << "\n";
  else if (!req_.hf_config.empty()) y << "  hf_config: " << yaml_quote(fs::path(req_.hf_config).filename().string()) << "\n";
  else if (req_.from_trace.empty()) y << "  network: " << req_.network << "\n";
  else y << "  from_trace: " << yaml_quote(fs::path(req_.from_trace).filename().string()) << "\n";
  y << "  options: {batch: " << req_.zoo.batch << ", seq_len: " << req_.zoo.seq_len << ", image: " << req_.zoo.image
    << ", mode: " << yaml_quote(req_.zoo.mode) << ", context: " << req_.zoo.context << ", width: " << num(req_.zoo.width)
    << ", depth: " << num(req_.zoo.depth) << (req_.zoo.kv_dtype.empty() ? "" : ", kv_dtype: " + req_.zoo.kv_dtype) << ", seed: " << req_.seed << ", exempt_first: " << (req_.exempt_first ? "true" : "false")
    << ", exempt_last: " << (req_.exempt_last ? "true" : "false") << "}\n";
  // File names only: the trace must not depend on where the inputs happened to lie.
  y << "  weights: " << yaml_quote(weights_name) << "\n";
  if (store_) y << "  layers_with_real_weights: " << real_weights_used_.size() << "\n";
  y << "  params_before: " << s.params_before << "\n  macs_before: " << s.macs_before << "\n";
  y << "  params_after: " << s.params_after << "\n  nonzero_params_after: " << s.nonzeros_after << "\n";
  y << "  macs_after: " << s.macs_after << "\n  effectual_macs_after: " << effectual << "\n";
  y << "  passes:" << (passes_.empty() ? " []\n" : "\n");
  for (const auto& p : passes_) y << p;
  y << "  layers:\n";
  for (const auto& it : items_) {
    y << "    - {name: " << yaml_quote(it.layer.name) << ", from: " << yaml_quote(it.origin) << ", params: "
      << (has_weights(it.layer) ? layer_weight_count(it.layer) : 0) << ", macs: " << layer_macs(it.layer);
    if (it.owner != it.layer.name) y << ", shares_weights_of: " << yaml_quote(it.owner) << "";
    if (it.pruned) y << ", density: " << num(it.layer.weights.compression.density) << ", kept_l1: " << num(it.kept_l1) << ", kept_l2: " << num(it.kept_l2);
    if (it.lowrank_error >= 0) y << ", lowrank_rel_error: " << num(it.lowrank_error);
    if (it.quantized) y << ", quant_rel_l2_error: " << num(it.quant_error);
    y << "}\n";
  }
  const DType& a0 = items_.front().layer.activations.dtype;
  y << "defaults:\n  activations: {dtype: " << a0.name << "}\n  outputs: {dtype: " << items_.front().layer.outputs.dtype.name
    << "}\n  accumulators: {dtype: " << items_.front().layer.accumulators.dtype.name << "}\n";
  y << "layers:\n";
  for (const auto& it : items_) y << layer_yaml(it, side_name, checksum);

  SafeOutputFile trace_out(req_.out, "trace --out file");
  trace_out.stream() << y.str();
  if (any_entry) {
    side_out.commit();
    s.side_file = side_path.string();
    s.side_bytes = fs::file_size(side_path);
  }
  trace_out.commit();
  return s;
}

}  // namespace

void write_file_atomically(const std::string& path, const std::string& text) {
  write_file_safely(path, text, "output file");
}

TraceSummary write_trace(const TraceRequest& req) { return Builder(req).run(); }

std::vector<KeptRow> kept_magnitude_report(const TraceRequest& req, const std::vector<std::string>& specs) {
  return Builder(req).kept_report(specs);
}

}  // namespace accsim
