#include "sim/core/input_file.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "sim/core/error.hpp"

namespace accsim {

std::ifstream open_input_file(const std::string& path, const std::string& what, std::ios::openmode mode) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    throw InputError(SourceLocation{path, 0, ""}, "is a directory, not a " + what);
  std::ifstream in(path, mode);
  if (!in) {
    const int err = errno;
    throw InputError(SourceLocation{path.size() > 300 ? path.substr(0, 300) + "..." : path, 0, ""},
                     "cannot open " + what + (err && err != ENOENT ? std::string(" (") + std::strerror(err) + ")" : ""));
  }
  return in;
}

}  // namespace accsim

namespace accsim {

std::string input_path_problem(const std::string& path) {
  std::error_code ec;
  const auto st = std::filesystem::status(path, ec);
  if (ec && ec != std::errc::no_such_file_or_directory)
    return "cannot open " + path + " (" + ec.message() + ")";
  if (!std::filesystem::exists(st)) return "file not found: " + path;
  if (std::filesystem::is_directory(st)) return "is a directory, not a file: " + path;
  return "";
}

std::string read_input_text(const std::string& path, const std::string& what, size_t max_bytes) {
  std::ifstream in = open_input_file(path, what, std::ios::in | std::ios::binary);
  std::string text;
  char buf[65536];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > max_bytes)
      throw InputError(SourceLocation{path, 0, ""}, "is larger than " + std::to_string(max_bytes >> 20) + " MiB");
  }
  if (in.bad()) throw InputError(SourceLocation{path, 0, ""}, "cannot read " + what);
  return text;
}

}  // namespace accsim
