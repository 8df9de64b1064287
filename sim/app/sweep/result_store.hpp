#pragma once
// A sweep's output directory: sweep.json (the spec), results.jsonl (one JSON row per point, the
// record of truth) and results.csv (the same rows, flat). Rows are appended with one write() each
// on an O_APPEND descriptor under a lock, so a killed sweep leaves at most a torn last line, which
// --resume drops. At the end the files are rewritten sorted by point index, so the same sweep gives
// byte-identical files whatever --jobs or --shard/merge produced them.
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace accsim::sweep {

using Row = nlohmann::ordered_json;

class ResultStore {
 public:
  // Opens (creating) `dir` and holds DIR/.lock until destroyed. Without `resume`, existing results
  // are an error; with it, sweep.json must describe the same sweep and a torn last row is dropped.
  ResultStore(const std::string& dir, const nlohmann::ordered_json& spec, bool resume,
              std::vector<std::string> param_keys);
  ~ResultStore();
  ResultStore(const ResultStore&) = delete;
  ResultStore& operator=(const ResultStore&) = delete;

  bool has(const std::string& point_id) const { return ids_.count(point_id) > 0; }
  size_t size() const { return rows_.size(); }
  void append(const Row& row);  // thread-safe
  // Rewrites both files sorted by point index (atomic rename).
  void finalize();
  // When this store created the directory's files and no row was recorded, removes them (and the
  // directory when it is then empty) so that nothing blocks the corrected command; true if it did.
  bool discard_if_empty();

 private:
  void open_files(const nlohmann::ordered_json& spec, bool resume);
  void rewrite_csv();
  void reopen_csv();

  std::string dir_;
  std::vector<std::string> param_keys_;
  std::vector<std::string> components_;  // energy components in the CSV header
  std::vector<Row> rows_;
  std::set<std::string> ids_;
  bool fresh_ = false;  // no results were there before this sweep
  int lock_fd_ = -1, jsonl_fd_ = -1, csv_fd_ = -1;
  std::mutex mutex_;
};

// Reads DIR/results.jsonl; a torn last line (no newline, or not JSON) is dropped and counted in
// `torn`. Any other malformed line is an InputError naming file and line.
std::vector<Row> read_rows(const std::string& dir, int* torn = nullptr);
nlohmann::ordered_json read_spec(const std::string& dir);  // checked: see spec_problem
// Why a result row or a sweep.json could not have been written by accsim ("" when fine).
std::string row_problem(const Row& row);
std::string spec_problem(const nlohmann::ordered_json& spec);
// Sorted, canonical files: results.jsonl and results.csv written from `rows` into `dir`.
void write_canonical(const std::string& dir, std::vector<Row> rows, const std::vector<std::string>& param_keys);
// The CSV form of a row set (header + lines), energy components in first-seen order.
std::string csv_text(const std::vector<Row>& rows, const std::vector<std::string>& param_keys);
// Takes an exclusive lock on DIR/.lock (creating DIR); throws InputError when another sweep holds it.
int lock_directory(const std::string& dir);

}  // namespace accsim::sweep
