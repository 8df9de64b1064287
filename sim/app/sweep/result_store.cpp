#include "sim/core/safe_file.hpp"
#include "sim/app/sweep/result_store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "sim/core/error.hpp"

namespace accsim::sweep {

namespace fs = std::filesystem;

namespace {

// Scalar metrics, in CSV column order; energy components go between energy_pj and utilization.
const std::vector<std::string> kHeadMetrics = {"cycles", "compute_cycles", "stall_cycles", "latency_s", "energy_pj"};
const std::vector<std::string> kTailMetrics = {"utilization",     "macs",           "effectual_macs",
                                               "peak_macs_per_cycle", "dram_read_bytes", "dram_write_bytes",
                                               "clock_hz",        "area_um2",       "leakage_uw"};

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += (c == '"') ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string cell(const Row& row, const std::string& key) {
  if (!row.contains(key) || row[key].is_null()) return "";
  const auto& v = row[key];
  return v.is_string() ? csv_field(v.get<std::string>()) : v.dump();
}

void add_components(const Row& row, std::vector<std::string>& comps) {
  if (!row.contains("energy_breakdown_pj")) return;
  for (const auto& [k, v] : row["energy_breakdown_pj"].items())
    if (std::find(comps.begin(), comps.end(), k) == comps.end()) comps.push_back(k);
}

std::string csv_header(const std::vector<std::string>& params, const std::vector<std::string>& comps) {
  std::string h = "point,point_id";
  for (const auto& p : params) h += "," + csv_field(p);
  h += ",status";
  for (const auto& m : kHeadMetrics) h += "," + m;
  for (const auto& c : comps) h += ",energy_" + c + "_pj";
  for (const auto& m : kTailMetrics) h += "," + m;
  return h + ",error\n";
}

std::string csv_line(const Row& row, const std::vector<std::string>& params, const std::vector<std::string>& comps) {
  std::string line = cell(row, "point") + "," + cell(row, "point_id");
  for (const auto& p : params) {
    const auto& ps = row["params"];
    line += "," + (ps.contains(p) ? csv_field(ps[p].get<std::string>()) : std::string());
  }
  line += "," + cell(row, "status");
  for (const auto& m : kHeadMetrics) line += "," + cell(row, m);
  for (const auto& c : comps) {
    line += ",";
    if (row.contains("energy_breakdown_pj") && row["energy_breakdown_pj"].contains(c))
      line += row["energy_breakdown_pj"][c].dump();
  }
  for (const auto& m : kTailMetrics) line += "," + cell(row, m);
  return line + "," + cell(row, "error") + "\n";
}

[[noreturn]] void io_fail(const std::string& path, const std::string& what) {
  throw InputError(SourceLocation{path, 0, ""}, what + ": " + std::strerror(errno));
}

// One write() per row: with O_APPEND the kernel places it at the end in one step, and the flock
// keeps rows of concurrent writers (even other processes) from interleaving.
void append_line(int fd, const std::string& path, const std::string& line) {
  if (flock(fd, LOCK_EX) != 0) io_fail(path, "cannot lock");
  const ssize_t n = ::write(fd, line.data(), line.size());
  flock(fd, LOCK_UN);
  if (n != static_cast<ssize_t>(line.size())) io_fail(path, "short write");
}

void write_atomically(const fs::path& path, const std::string& text) {
  write_file_safely(path.string(), text, "sweep result file");  // exclusive unpredictable temporary
}

int open_append(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) io_fail(path.string(), "cannot open");
  return fd;
}

std::string jsonl_text(const std::vector<Row>& rows) {
  std::string out;
  for (const auto& r : rows) out += r.dump() + "\n";
  return out;
}

}  // namespace

// A row accsim could have written: the fields every reader relies on, with their JSON types.
std::string row_problem(const Row& row) {
  if (!row.is_object()) return "a result row must be a JSON object";
  if (!row.contains("point") || !row["point"].is_number_unsigned()) return "'point' must be an integer >= 0";
  if (!row.contains("point_id") || !row["point_id"].is_string()) return "'point_id' must be a string";
  const std::string id = row["point_id"].get<std::string>();
  if (id.size() != 16 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return "'point_id' must be 16 lower-case hex digits";
  if (!row.contains("params") || !row["params"].is_object()) return "missing 'params' (an object of swept values)";
  for (const auto& [k, v] : row["params"].items())
    if (!v.is_string()) return "params." + k + " must be a string";
  if (!row.contains("status") || !row["status"].is_string() ||
      (row["status"] != "ok" && row["status"] != "error"))
    return "'status' must be \"ok\" or \"error\"";
  if (row.contains("energy_breakdown_pj") && !row["energy_breakdown_pj"].is_object())
    return "'energy_breakdown_pj' must be an object";
  return "";
}

std::string spec_problem(const nlohmann::ordered_json& spec) {
  if (!spec.is_object()) return "not a JSON object";
  if (!spec.contains("dimensions") || !spec["dimensions"].is_array()) return "missing 'dimensions' (an array)";
  for (const auto& d : spec["dimensions"]) {
    if (!d.is_object() || !d.contains("key") || !d["key"].is_string() || !d.contains("values") || !d["values"].is_array())
      return "each dimension must be an object with 'key' (a string) and 'values' (an array)";
    for (const auto& v : d["values"])
      if (!v.is_string()) return "dimension " + d["key"].get<std::string>() + ": values must be strings";
  }
  if (!spec.contains("selected_points") || !spec["selected_points"].is_number_unsigned())
    return "'selected_points' must be an integer >= 0";
  if (spec.contains("shard") && !spec["shard"].is_string()) return "'shard' must be a string like 0/4";
  return "";
}

int lock_directory(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw InputError(SourceLocation{dir, 0, "--out"}, "cannot create directory: " + ec.message());
  const std::string path = (fs::path(dir) / ".lock").string();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0) io_fail(path, "cannot open");
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    ::close(fd);
    throw InputError(SourceLocation{dir, 0, "--out"}, "another accsim sweep or merge is writing this directory");
  }
  return fd;
}

std::vector<Row> read_rows(const std::string& dir, int* torn) {
  const fs::path path = fs::path(dir) / "results.jsonl";
  std::vector<Row> rows;
  if (torn) *torn = 0;
  std::ifstream f(path, std::ios::binary);
  if (!f) return rows;
  std::stringstream ss;
  ss << f.rdbuf();
  const std::string text = ss.str();
  size_t start = 0;
  int line_no = 0;
  while (start < text.size()) {
    ++line_no;
    const size_t nl = text.find('\n', start);
    const bool last = nl == std::string::npos || nl + 1 >= text.size();
    const std::string line = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    try {
      if (nl == std::string::npos) throw std::runtime_error("no newline");
      rows.push_back(Row::parse(line));
    } catch (const std::exception&) {
      if (!last) throw InputError(SourceLocation{path.string(), line_no, ""}, "malformed result row");
      if (torn) ++*torn;  // a write cut short by a kill: the point simply runs again
      break;
    }
    const std::string problem = row_problem(rows.back());
    if (!problem.empty()) throw InputError(SourceLocation{path.string(), line_no, ""}, problem);
    if (nl == std::string::npos) break;
    start = nl + 1;
  }
  return rows;
}

nlohmann::ordered_json read_spec(const std::string& dir) {
  const fs::path path = fs::path(dir) / "sweep.json";
  std::ifstream f(path);
  if (!f) throw InputError(SourceLocation{path.string(), 0, ""}, "not a sweep directory (no sweep.json)");
  nlohmann::ordered_json spec;
  try {
    spec = nlohmann::ordered_json::parse(f);
  } catch (const std::exception& e) {
    throw InputError(SourceLocation{path.string(), 0, ""}, std::string("malformed JSON: ") + e.what());
  }
  const std::string problem = spec_problem(spec);
  if (!problem.empty()) throw InputError(SourceLocation{path.string(), 0, ""}, problem);
  return spec;
}

std::string csv_text(const std::vector<Row>& rows, const std::vector<std::string>& param_keys) {
  std::vector<std::string> comps;
  for (const auto& r : rows) add_components(r, comps);
  std::string out = csv_header(param_keys, comps);
  for (const auto& r : rows) out += csv_line(r, param_keys, comps);
  return out;
}

void write_canonical(const std::string& dir, std::vector<Row> rows, const std::vector<std::string>& param_keys) {
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) {
    return a["point"].get<uint64_t>() < b["point"].get<uint64_t>();
  });
  // Both texts are built before the first write, so a bad row leaves no file behind.
  const std::string jsonl = jsonl_text(rows), csv = csv_text(rows, param_keys);
  write_atomically(fs::path(dir) / "results.jsonl", jsonl);
  write_atomically(fs::path(dir) / "results.csv", csv);
}

ResultStore::ResultStore(const std::string& dir, const nlohmann::ordered_json& spec, bool resume,
                         std::vector<std::string> param_keys)
    : dir_(dir), param_keys_(std::move(param_keys)) {
  lock_fd_ = lock_directory(dir);
  try {
    open_files(spec, resume);
  } catch (...) {
    ::close(lock_fd_);  // a failed open must not keep the directory locked
    throw;
  }
}

void ResultStore::open_files(const nlohmann::ordered_json& spec, bool resume) {
  const std::string& dir = dir_;
  const fs::path spec_path = fs::path(dir) / "sweep.json";
  bool exists = fs::exists(fs::path(dir) / "results.jsonl") || fs::exists(spec_path);
  // A directory whose sweep recorded no row (it failed at once) holds nothing to protect.
  if (exists && !resume && fs::exists(spec_path) && read_rows(dir).empty()) exists = false;
  fresh_ = !exists;
  if (exists && !resume)
    throw InputError(SourceLocation{dir, 0, "--out"}, "already holds sweep results; pass --resume to continue them or choose another --out");
  if (exists) {
    if (fs::exists(spec_path) && read_spec(dir) != spec)
      throw InputError(SourceLocation{spec_path.string(), 0, ""},
                       "describes a different sweep (arch, grid, sample or shard differ); --resume needs the same command");
    rows_ = read_rows(dir);
    for (const auto& r : rows_) {
      for (const auto& k : param_keys_)
        if (!r["params"].contains(k))
          throw InputError(SourceLocation{dir + "/results.jsonl", 0, r["point_id"].get<std::string>()},
                           "row has no params." + k + " (not a row of this sweep)");
      ids_.insert(r["point_id"].get<std::string>());
      add_components(r, components_);
    }
    // Rewrite from the rows that parsed: this drops a torn last line from both files.
    write_atomically(fs::path(dir) / "results.jsonl", jsonl_text(rows_));
  }
  write_atomically(spec_path, spec.dump(2) + "\n");
  jsonl_fd_ = open_append(fs::path(dir) / "results.jsonl");
  rewrite_csv();
}

ResultStore::~ResultStore() {
  for (int fd : {jsonl_fd_, csv_fd_, lock_fd_})
    if (fd >= 0) ::close(fd);
}

void ResultStore::rewrite_csv() {
  std::string text = csv_header(param_keys_, components_);
  for (const auto& r : rows_) text += csv_line(r, param_keys_, components_);
  write_atomically(fs::path(dir_) / "results.csv", text);
  reopen_csv();
}

void ResultStore::reopen_csv() {
  if (csv_fd_ >= 0) ::close(csv_fd_);
  csv_fd_ = open_append(fs::path(dir_) / "results.csv");
}

void ResultStore::append(const Row& row) {
  std::lock_guard<std::mutex> guard(mutex_);
  append_line(jsonl_fd_, dir_ + "/results.jsonl", row.dump() + "\n");
  rows_.push_back(row);
  ids_.insert(row["point_id"].get<std::string>());
  const size_t before = components_.size();
  add_components(row, components_);
  // A new energy component widens the CSV header: rewrite the file (atomically) with the new column.
  if (components_.size() != before)
    rewrite_csv();
  else
    append_line(csv_fd_, dir_ + "/results.csv", csv_line(row, param_keys_, components_));
}

bool ResultStore::discard_if_empty() {
  std::lock_guard<std::mutex> guard(mutex_);
  if (!fresh_ || !rows_.empty()) return false;
  for (int* fd : {&jsonl_fd_, &csv_fd_})
    if (*fd >= 0) ::close(*fd), *fd = -1;
  std::error_code ec;
  for (const char* name : {"results.jsonl", "results.csv", "sweep.json", ".lock"}) fs::remove(fs::path(dir_) / name, ec);
  fs::remove(dir_, ec);  // only when empty: anything else the user put there stays
  return true;
}

void ResultStore::finalize() {
  std::lock_guard<std::mutex> guard(mutex_);
  write_canonical(dir_, rows_, param_keys_);
  ::close(jsonl_fd_);
  ::close(csv_fd_);
  jsonl_fd_ = csv_fd_ = -1;
}

}  // namespace accsim::sweep
