// `accsim merge DIR1 DIR2 ... --out DIR`: combines the outputs of `accsim sweep --shard I/N` runs
// into the result set an unsharded run would have written (same sweep.json, same sorted rows).
#include "sim/core/safe_file.hpp"
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>

#include "sim/app/cli.hpp"
#include "sim/app/sweep/result_store.hpp"
#include "sim/core/error.hpp"

namespace accsim {

namespace {

using namespace sweep;

int merge_command(const std::vector<std::string>& argv) {
  Args args(argv, {"--out"}, {"--allow-partial", "--quiet"});
  const auto& inputs = args.positionals();
  if (inputs.empty()) throw UsageError("give the shard directories to merge");
  const std::string out = args.require("--out");
  for (const auto& in : inputs)
    if (std::filesystem::weakly_canonical(in) == std::filesystem::weakly_canonical(out))
      throw UsageError("--out must differ from the inputs (" + in + ")");

  nlohmann::ordered_json spec;
  std::map<std::string, Row> by_id;
  std::map<std::string, std::string> shards_seen;  // shard -> directory
  for (const auto& dir : inputs) {
    nlohmann::ordered_json s = read_spec(dir);
    const std::string shard = s.value("shard", "0/1");
    s["shard"] = "0/1";
    if (spec.is_null()) {
      spec = s;
    } else if (s != spec) {
      throw InputError(SourceLocation{dir + "/sweep.json", 0, ""},
                       "is a different sweep from " + inputs[0] + " (arch, grid or sample differ)");
    }
    if (shards_seen.count(shard) && !args.has("--quiet"))
      std::cerr << "accsim merge: note: " << dir << " and " << shards_seen[shard] << " are both shard " << shard << "\n";
    shards_seen[shard] = dir;
    int torn = 0;
    std::vector<std::string> dims;
    for (const auto& d : s.at("dimensions")) dims.push_back(d.at("key").get<std::string>());
    for (auto& row : read_rows(dir, &torn)) {
      const std::string id = row["point_id"].get<std::string>();
      for (const auto& k : dims)
        if (!row["params"].contains(k))
          throw InputError(SourceLocation{dir + "/results.jsonl", 0, id}, "row has no params." + k + " (not a row of this sweep)");
      auto [it, inserted] = by_id.emplace(id, row);
      if (!inserted && it->second != row)
        throw InputError(SourceLocation{dir + "/results.jsonl", 0, id},
                         "point holds a different result than in another input; were they run by different accsim builds?");
    }
    if (torn && !args.has("--quiet"))
      std::cerr << "accsim merge: note: dropped a torn last row in " << dir << "/results.jsonl (the point was cut short)\n";
  }

  std::vector<std::string> keys;
  for (const auto& d : spec.at("dimensions")) keys.push_back(d.at("key").get<std::string>());
  std::vector<Row> rows;
  for (auto& [id, row] : by_id) rows.push_back(std::move(row));

  const int lock = lock_directory(out);
  const bool has_results = std::filesystem::exists(std::filesystem::path(out) / "results.jsonl") ||
                           std::filesystem::exists(std::filesystem::path(out) / "sweep.json");
  if (has_results) throw InputError(SourceLocation{out, 0, "--out"}, "already holds sweep results; choose an empty --out");
  // The rows are written first and sweep.json last: a merge that fails part-way leaves no
  // sweep.json behind, so a rerun is not refused as "already holds sweep results".
  write_canonical(out, rows, keys);
  write_file_safely((std::filesystem::path(out) / "sweep.json").string(), spec.dump(2) + "\n", "merge output");
  (void)lock;  // released at exit

  const uint64_t expected = spec.at("selected_points").get<uint64_t>();
  if (!args.has("--quiet"))
    std::cerr << "accsim merge: " << rows.size() << " of " << expected << " points from " << inputs.size()
              << " directories -> " << out << "\n";
  if (rows.size() < expected) {
    std::cerr << "accsim merge: " << (args.has("--allow-partial") ? "warning" : "error") << ": " << expected - rows.size()
              << " points are missing (a shard did not finish? rerun it with --resume)\n";
    return args.has("--allow-partial") ? 0 : 1;
  }
  return 0;
}

const CommandRegistrar merge_registrar(
    "merge", Command{"combine `accsim sweep --shard` outputs into one result set",
                     "accsim merge DIR1 DIR2 ... --out DIR [--allow-partial] [--quiet]", merge_command});

}  // namespace
}  // namespace accsim
