#pragma once
// Opening user-named input files: a missing file, a directory or an unreadable path is an
// InputError (exit 2) naming the path, never a stream failure deep inside a parser.
#include <fstream>
#include <string>

namespace accsim {

std::ifstream open_input_file(const std::string& path, const std::string& what = "file",
                              std::ios::openmode mode = std::ios::in);

}  // namespace accsim
