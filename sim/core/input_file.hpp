#pragma once
// Opening user-named input files: a missing file, a directory or an unreadable path is an
// InputError (exit 2) naming the path, never a stream failure deep inside a parser.
#include <fstream>
#include <string>

namespace accsim {

std::ifstream open_input_file(const std::string& path, const std::string& what = "file",
                              std::ios::openmode mode = std::ios::in);

}  // namespace accsim

namespace accsim {

// Why `path` cannot be read as an input file ("file not found: P", "file name too long: P", "is a
// directory: P"), or "" when it can be opened. Never throws.
std::string input_path_problem(const std::string& path);

// The whole file as text; an unreadable file (EIO from /proc/self/mem, a FIFO that ends early) or
// one larger than `max_bytes` is an InputError naming it.
std::string read_input_text(const std::string& path, const std::string& what = "file",
                            size_t max_bytes = size_t{1} << 30);

}  // namespace accsim
