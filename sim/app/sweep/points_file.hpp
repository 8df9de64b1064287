#pragma once
// `accsim sweep --points FILE`: explicit design points instead of a grid, from a CSV file (a header
// of keys, one point per line) or a JSONL file (one object of key: value per line). Keys are the
// --grid keys, plus optional `arch` and `workload` columns.
#include <string>
#include <vector>

namespace accsim::sweep {

struct PointsFile {
  std::vector<std::string> keys;                 // in file order
  std::vector<std::vector<std::string>> points;  // one value per key
};

// Reads and checks FILE (.csv or .jsonl): every point has every key, no point twice, no empty value.
// Errors are InputErrors naming the file and line.
PointsFile read_points_file(const std::string& path);

}  // namespace accsim::sweep
