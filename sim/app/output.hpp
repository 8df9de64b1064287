#pragma once
// Turns a run's results into the user-facing forms: a text table, summary.json, layers.csv.
#include <ostream>
#include <string>

#include <nlohmann/json.hpp>

#include "sim/hw/accelerator.hpp"

namespace accsim {

nlohmann::ordered_json summary_json(const RunOutput& run);
// Refuses an --out folder that cannot take the results (before any simulation or write).
void check_output_dir(const std::string& dir);
void write_table(std::ostream& os, const RunOutput& run);
void write_layers_csv(std::ostream& os, const RunOutput& run);
// Writes summary.json, layers.csv and resolved_config.yaml into `dir` (created if needed).
void write_output_dir(const std::string& dir, const RunOutput& run);
// What `run` and `reprice` print and keep: DIR's three files when out_dir is set, then stdout in
// `format` (table, json or csv).
void emit_run_output(const RunOutput& run, const std::string& format, const std::string& out_dir);
// Fixed, locale-free number formatting so that identical runs give byte-identical files.
std::string format_number(double v, int significant = 10);

}  // namespace accsim
