// `accsim trace --network NAME [options] --out TRACE.yaml`: a zoo network, compressed, as a trace.
#include "sim/core/parse_number.hpp"
#include <chrono>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "sim/app/cli.hpp"
#include "sim/app/trace_builder.hpp"

namespace accsim {

namespace {

const char* kUsage =
    "accsim trace --network NAME|--onnx MODEL.onnx|--hf-config config.json|--from TRACE.yaml --out TRACE.yaml\n"
    "  network:  [--batch B] [--seq-len S] [--image PX] [--mode prefill|decode] [--context T] [--kv-dtype T]\n"
    "            [--width A] [--depth D] [--weights FILE.npy|.npz|.safetensors|model.safetensors.index.json|.onnx] [--seed S]\n"
    "  passes:   [--depthwise-separable] [--low-rank rank:R|energy:F] [--conv-decomposition svd|tucker2:RI:RO|cp:R]\n"
    "            [--low-rank-layers GLOB] [--prune nm:N:M|bank:B:S|unstructured:S|block:RxC:S|existing]\n"
    "            [--prune-scope layer|global] [--prune-layer GLOB=SPEC ...]\n"
    "            [--quant int2..int16|fp8_e4m3|fp8_e5m2|fp16|bf16] [--quant-granularity tensor|channel]\n"
    "            [--quant-group G] [--quant-mode symmetric|asymmetric] [--quant-layer GLOB=DTYPE|none ...] [--act-dtype T]\n"
    "            --quant T quantizes weights AND activations (int8 = W8A8, fp8_e4m3 = FP8 W8A8) unless --act-dtype\n"
    "            says otherwise; with --quant-group G it is weight-only (one fp16 scale per G weights of a row,\n"
    "            plus a zero point with --quant-mode asymmetric, counted in the bytes moved)\n"
    "            [--store-values] [--exempt-first] [--exempt-last]\n"
    "  accsim trace --list   shows the networks\n"
    "  accsim trace --network NAME --kept-report 'SPEC;SPEC;...'   compares the weight magnitude patterns keep";

int64_t positive(const Args& a, const std::string& flag, int64_t fallback) {
  if (!a.has(flag)) return fallback;
  const auto v = parse_int64(a.get(flag));
  if (v && *v > 0) return *v;
  throw UsageError(flag + " must be a positive integer" + (v ? "" : " (64-bit)") + ", got '" + a.get(flag) + "'");
}

double positive_real(const Args& a, const std::string& flag, double fallback) {
  if (!a.has(flag)) return fallback;
  const auto v = parse_finite_double(a.get(flag));
  if (v && *v > 0) return *v;
  throw UsageError(flag + " must be a positive finite number, got '" + a.get(flag) + "'");
}

std::vector<LayerRule> rules(const Args& a, const std::string& flag) {
  std::vector<LayerRule> out;
  for (const auto& v : a.all(flag)) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == v.size()) throw UsageError(flag + " takes GLOB=VALUE, got '" + v + "'");
    out.push_back({v.substr(0, eq), v.substr(eq + 1)});
  }
  return out;
}

int trace_command(const std::vector<std::string>& argv) {
  Args a(argv,
         {"--network", "--from", "--onnx", "--hf-config", "--kv-dtype", "--quant-group", "--out", "--batch", "--seq-len", "--image", "--mode", "--context", "--width", "--depth", "--weights",
          "--seed", "--low-rank", "--conv-decomposition", "--low-rank-layers", "--prune", "--prune-scope", "--prune-layer",
          "--quant", "--quant-granularity", "--quant-mode", "--quant-layer", "--act-dtype", "--kept-report"},
         {"--list", "--depthwise-separable", "--store-values", "--exempt-first", "--exempt-last"},
         {"--prune-layer", "--quant-layer"});
  if (!a.positionals().empty()) throw UsageError("unexpected argument '" + a.positionals()[0] + "'");
  if (a.has("--list")) {
    for (const auto& [name, info] : zoo_networks()) std::cout << std::left << std::setw(14) << name << info.summary << "\n";
    return 0;
  }
  TraceRequest r;
  if (a.has("--network") + a.has("--from") + a.has("--onnx") + a.has("--hf-config") != 1)
    throw UsageError("give exactly one of --network NAME, --onnx MODEL.onnx, --hf-config config.json and --from TRACE.yaml");
  r.hf_config = a.get("--hf-config");
  r.zoo.kv_dtype = a.get("--kv-dtype");
  r.quant_group = positive(a, "--quant-group", 0);
  r.network = a.get("--network");
  r.from_trace = a.get("--from");
  r.onnx = a.get("--onnx");
  r.out = a.get("--out");
  r.zoo.batch = positive(a, "--batch", 1);
  r.batch_given = a.has("--batch");
  r.zoo.seq_len = positive(a, "--seq-len", 0);
  r.zoo.image = positive(a, "--image", 0);
  r.zoo.mode = a.get("--mode");
  r.zoo.context = positive(a, "--context", 0);
  r.zoo.width = positive_real(a, "--width", 1.0);
  r.zoo.depth = positive_real(a, "--depth", 1.0);
  r.weights_path = a.get("--weights");
  r.seed = static_cast<uint64_t>(positive(a, "--seed", 1));
  r.depthwise_separable = a.has("--depthwise-separable");
  r.low_rank = a.get("--low-rank");
  r.conv_decomposition = a.get("--conv-decomposition", "svd");
  r.low_rank_layers = a.get("--low-rank-layers", "*");
  r.prune = a.get("--prune");
  const std::string scope = a.get("--prune-scope", "layer");
  if (scope != "layer" && scope != "global") throw UsageError("--prune-scope must be layer or global");
  r.prune_global = scope == "global";
  r.prune_layers = rules(a, "--prune-layer");
  r.quant = a.get("--quant");
  const std::string gran = a.get("--quant-granularity", "tensor"), mode = a.get("--quant-mode", "symmetric");
  if (gran != "tensor" && gran != "channel") throw UsageError("--quant-granularity must be tensor or channel");
  if (mode != "symmetric" && mode != "asymmetric") throw UsageError("--quant-mode must be symmetric or asymmetric");
  r.per_channel = gran == "channel";
  r.asymmetric = mode == "asymmetric";
  r.quant_layers = rules(a, "--quant-layer");
  r.act_dtype = a.get("--act-dtype");
  r.store_values = a.has("--store-values");
  r.exempt_first = a.has("--exempt-first");
  r.exempt_last = a.has("--exempt-last");
  if (r.store_values && r.quant.empty() && r.quant_layers.empty()) throw UsageError("--store-values needs --quant or --quant-layer");

  if (a.has("--kept-report")) {
    // Patterns side by side: what each keeps of the weights' magnitude (an accuracy proxy).
    std::vector<std::string> specs;
    std::stringstream list(a.get("--kept-report"));
    for (std::string sp; std::getline(list, sp, ';');)
      if (!sp.empty()) specs.push_back(sp);
    if (specs.empty()) throw UsageError("--kept-report takes SPEC;SPEC;...");
    std::cout << std::left << std::setw(24) << "pattern" << std::right << std::setw(12) << "density(%)" << std::setw(14)
              << "L1 kept(%)" << std::setw(14) << "L2 kept(%)" << "\n";
    for (const KeptRow& row : kept_magnitude_report(r, specs))
      std::cout << std::left << std::setw(24) << row.spec << std::right << std::fixed << std::setprecision(2) << std::setw(12)
                << 100 * row.density << std::setw(14) << 100 * row.l1 << std::setw(14) << 100 * row.l2 << "\n";
    return 0;
  }
  if (r.out.empty()) throw UsageError("--out is required");
  const auto t0 = std::chrono::steady_clock::now();
  const TraceSummary s = write_trace(r);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::cout << "wrote " << r.out << " (" << s.layers << " layers)";
  if (!s.side_file.empty()) std::cout << " and " << s.side_file << " (" << s.side_bytes << " bytes)";
  std::cout << "\n  weight parameters: " << s.params_before << " -> " << s.params_after << " (nonzero " << s.nonzeros_after
            << ")\n  MACs per inference: " << s.macs_before / r.zoo.batch << " -> " << s.macs_after / r.zoo.batch;
  if (r.zoo.batch > 1) std::cout << " (x " << r.zoo.batch << " for the batch)";
  std::cout << "\n";
  if (!r.prune.empty() || !r.prune_layers.empty())
    std::cout << "  weight magnitude kept by pruning: L1 " << std::setprecision(4) << 100 * s.kept_l1 << " %, L2 "
              << 100 * s.kept_l2 << " %\n";
  std::cerr << "traced in " << std::fixed << std::setprecision(2) << secs << " s\n";
  return 0;
}

const CommandRegistrar trace_registrar("trace", Command{"build a compressed workload trace from a built-in network, an ONNX model or a trace", kUsage, trace_command});

}  // namespace
}  // namespace accsim
