#pragma once
// What a design sweep covers: the workloads, the swept keys and their values, which points of the
// Cartesian product are taken (all, or a seeded random sample), and which shard runs here.
//
// A point is a workload plus one value per swept key. Its identity (point_id) is a hash of the
// architecture, workload and key=value pairs, so it does not depend on --jobs, --shard or --out.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace accsim::sweep {

struct Dimension {
  std::string key;                  // "arch", "workload", a config path (compute.rows) or workload.<param>
  std::vector<std::string> values;  // as written, after range expansion
};

struct Spec {
  std::string arch;             // the architecture file; empty when several are swept (an "arch" dimension)
  std::vector<Dimension> dims;  // ["arch",] "workload", then the --grid keys
  uint64_t random = 0;          // 0: every point of the grid; else a sample of this many points
  uint64_t seed = 0;
  int shard_index = 0, shard_count = 1;
  // --points FILE: explicit points (one value per dimension, in dims order) instead of the product.
  std::string points_file;
  std::vector<std::vector<std::string>> points;

  uint64_t grid_size() const;  // points in the full Cartesian product, or the explicit points  // points in the full Cartesian product
};

struct Point {
  uint64_t index = 0;  // position in the Cartesian product (row-major, last key fastest)
  std::string id;      // 16 hex digits
  std::vector<std::pair<std::string, std::string>> params;  // one per dimension, in spec order
};

// Parses `key=v1,v2,...` (values may use integer ranges A..B, A..B+S, A..B*F). Throws UsageError.
Dimension parse_grid_option(const std::string& text);
// Parses `I/N` with 0 <= I < N. Throws UsageError.
void parse_shard(const std::string& text, int& index, int& count);

// Every point this spec selects before sharding, in ascending index order.
std::vector<uint64_t> selected_indices(const Spec& spec);
// The indices of this spec's shard: position p of selected_indices() goes to shard p mod N.
std::vector<uint64_t> shard_indices(const Spec& spec);
Point make_point(const Spec& spec, uint64_t index);

// The command-line arguments of `accsim run` for one point (after the program name):
// config keys become --set, workload.<param> keys are written into the inline gemm spec.
std::vector<std::string> run_arguments(const Spec& spec, const Point& point);
// The architecture file a point runs.
std::string point_arch(const Spec& spec, const Point& point);
// The workload spec a point runs (inline specs with workload.<param> values substituted).
std::string point_workload(const Point& point);

// The spec as recorded in DIR/sweep.json; `with_shard` false gives the form shards share.
nlohmann::ordered_json spec_json(const Spec& spec, bool with_shard);
// The values of each dimension (in spec order) that the selected points use: all of them for a full
// grid or explicit points, only those a random sample draws otherwise.
std::vector<std::vector<std::string>> used_values(const Spec& spec);
// Checks every swept key and value the selected points use can be turned into a run (throws
// InputError/UsageError).
void validate(const Spec& spec);

std::string fnv1a_hex(const std::string& text);

}  // namespace accsim::sweep
