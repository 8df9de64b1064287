#include "sim/app/help_text.hpp"

#include <map>

namespace accsim {

namespace {

// Kept beside each other so the CLI test can check that every flag a command's synopsis names is
// described here (tests/cli/cli_conventions.sh).
const std::map<std::string, std::string>& texts() {
  static const std::map<std::string, std::string> t = {
      {"run",
       "  --arch FILE            architecture: YAML (configs/arch/*.yaml) or a SCALE-Sim .cfg\n"
       "  --workload W           trace YAML, SCALE-Sim topology CSV, or inline gemm:m=..,n=..,k=..[,prune=..,dtype=..]\n"
       "  --set KEY=VALUE        override one architecture parameter (repeatable; `accsim list` shows every key)\n"
       "  --workload-set P=V     apply prune|dtype|wbits|abits|acc|seed|data to the whole workload (repeatable)\n"
       "  --out DIR              also write summary.json, layers.csv and resolved_config.yaml into DIR\n"
       "  --format FMT           stdout as table (default), json or csv\n"
       "  --check                check the configuration and every layer, simulate nothing, write nothing\n"},
      {"sweep",
       "  --arch FILE            architecture file (repeat it to sweep over architectures: an `arch` column)\n"
       "  --workload W           workload as for `accsim run` (repeat it to sweep over workloads)\n"
       "  --grid KEY=V1,V2,...   one swept key (repeatable); integer ranges A..B, A..B+S, A..B*F; config keys\n"
       "                         as for --set, workload.<prune|dtype|wbits|abits|acc|seed|data>, workload.<m|n|k|batch>\n"
       "  --points FILE          explicit points from FILE.csv (header of keys) or FILE.jsonl, instead of --grid\n"
       "  --random N             a seeded uniform sample of N distinct points instead of all of them\n"
       "  --seed S               the sample's seed (default 0; needs --random)\n"
       "  --jobs N               points run at once (default and cap: the cores this process may use)\n"
       "  --out DIR              output directory (default sweep_results): sweep.json, results.jsonl, results.csv\n"
       "  --resume               continue the sweep in DIR, skipping recorded points\n"
       "  --shard I/N            run slice I (0-based) of N; join the slices with `accsim merge`\n"
       "  --keep-going           record failing points as status=error rows and go on\n"
       "  --dry-run              check every key and every value the points use, print the points, run and\n"
       "                         write nothing\n"
       "  --quiet                no progress output\n"},
      {"merge",
       "  DIR ...                the shard directories (accsim sweep --shard I/N --out DIR)\n"
       "  --out DIR              the merged directory (must not hold results yet)\n"
       "  --allow-partial        exit 0 even when points are missing (a warning names how many)\n"
       "  --quiet                no notes on stderr\n"},
      {"report",
       "  DIR ...                run (accsim run --out) and sweep (accsim sweep/merge --out) directories\n"
       "  --out DIR              where report.md, report.html, figures/ and tables/ go (default FIRST_DIR/report)\n"
       "  --baseline KEY=VALUE   grouped bars and a table of speedup and energy relative to this swept value\n"
       "                         (e.g. arch=fixed16-iso-area); bit-width figures use it as their reference\n"
       "  --epsilon FRACTION     Pareto fronts drop points within this relative margin (default 0.01 = 1 %)\n"},
      {"reprice",
       "  RESULT_DIR             an `accsim run --out` folder (summary.json, resolved_config.yaml)\n"
       "  --set KEY=VALUE        an energy-only change (repeatable): energy_table, technology_nm, dram.technology,\n"
       "                         dram.pj_per_bit; a new table implies its node unless technology_nm is set\n"
       "  --out DIR              also write the re-priced summary.json, layers.csv, resolved_config.yaml\n"
       "  --format FMT           stdout as table (default), json or csv\n"},
      {"validate",
       "  --suite NAME           run this suite of validation/NAME/ (repeatable; default: every suite)\n"
       "  --out DIR              also write validation.csv, validation.md and validation.png (log-log, y = x)\n"},
      {"list", "  (no options)           prints every architecture parameter, component kind, format and op\n"},
      {"trace",
       "  --network NAME         a built-in network (`accsim trace --list` shows them)\n"
       "  --onnx MODEL.onnx      instead: an ONNX model's graph, its initializers as weights\n"
       "  --hf-config FILE       instead: a decoder-only Hugging Face config.json (prefill or decode step)\n"
       "  --from TRACE.yaml      instead: the layers of an existing trace, recompressed by this run's passes\n"
       "  --out TRACE.yaml       the trace to write (with a .weights.bin side file when masks or values are stored)\n"
       "  --batch B              batch: images, or sequences (default 1)\n"
       "  --seq-len S            tokens per sequence (BERT/ALBERT/GPT-2 default 128, LSTM 35 steps)\n"
       "  --image PX             CNN input height = width (default 224; small-cnn 32)\n"
       "  --mode prefill|decode  decoders: prefill S tokens or decode one token against --context T cached ones\n"
       "  --context T            cached tokens (KV-cache length): decode default S; LLM prefill default 0\n"
       "  --kv-dtype T           format of the KV cache read and written by attention (default: the activations')\n"
       "  --width A              width multiplier (channels, per-head size) for distilled students\n"
       "  --depth D              depth multiplier (blocks per stage, encoder layers)\n"
       "  --weights FILE         real weights: .npy, .npz, .safetensors or .onnx\n"
       "  --seed S               seed of the synthetic weights (default 1)\n"
       "  --depthwise-separable  every k x k (k > 1) conv becomes depthwise k x k + pointwise 1x1\n"
       "  --low-rank SPEC        rank:R or energy:F truncated SVD of each weight matrix\n"
       "  --conv-decomposition M svd (default), tucker2:RI:RO or cp:R for k x k convs\n"
       "  --low-rank-layers GLOB layers the low-rank pass touches (default *)\n"
       "  --prune SPEC           nm:N:M, bank:B:S, unstructured:S, block:RxC:S or existing\n"
       "  --prune-scope SCOPE    layer (default) or global (one threshold; unstructured only)\n"
       "  --prune-layer GLOB=SPEC per-layer pattern (repeatable, last match wins; dense exempts)\n"
       "  --exempt-first         the first weight layer is neither pruned nor factorized\n"
       "  --exempt-last          the last weight layer is neither pruned nor factorized\n"
       "  --quant T              weights and activations (W8A8 for int8) unless --act-dtype or --quant-group:\n"
       "                         int2..int16, fp8_e4m3, fp8_e5m2, fp16, bf16\n"
       "  --quant-granularity G  tensor or channel scales\n"
       "  --quant-group G        group-wise weight-only quantization: one scale per G weights of a row\n"
       "  --quant-mode M         symmetric or asymmetric (integer layers)\n"
       "  --quant-layer GLOB=T   per-layer format (repeatable, last match wins; none keeps fp32)\n"
       "  --act-dtype T          activation/output format\n"
       "  --store-values         also store the quantized weight codes in the side file\n"
       "  --list                 list the built-in networks\n"
       "  --kept-report 'S;S'    instead of a trace: density and weight magnitude each pattern keeps\n"},
  };
  return t;
}

}  // namespace

std::string command_options_help(const std::string& command) {
  const auto it = texts().find(command);
  return it == texts().end() ? "" : it->second;
}

}  // namespace accsim
