#include "sim/import/onnx_external.hpp"

#include <filesystem>
#include <fstream>
#include <map>

#include "sim/core/error.hpp"

namespace accsim {

namespace fs = std::filesystem;

namespace {

uint64_t parse_count(const std::string& v, const std::string& where) {
  if (v.empty() || v.size() > 19 || v.find_first_not_of("0123456789") != std::string::npos)
    throw InputError(where + " is '" + v + "', not a byte count");
  return std::stoull(v);
}

// The location relative to the model's folder, refused when it could leave that folder.
fs::path confined(const fs::path& dir, const std::string& location, const std::string& who) {
  const std::string where = who + ": external_data location '" + location + "'";
  if (location.empty()) throw InputError(who + ": external_data location is empty");
  if (location.find('\\') != std::string::npos || location.find('\0') != std::string::npos)
    throw InputError(where + " is not a relative POSIX path");
  const fs::path rel(location);
  if (rel.is_absolute() || rel.has_root_name()) throw InputError(where + " is absolute; it must be relative to the model's folder");
  for (const auto& part : rel)
    if (part == "..") throw InputError(where + " leaves the model's folder ('..')");
  const fs::path file = dir / rel;
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) throw InputError(where + ": no such file beside the model (" + file.string() + ")");
  // A symbolic link may still point out of the folder: compare the resolved paths.
  const fs::path real = fs::canonical(file, ec), root = fs::canonical(dir, ec);
  if (ec) throw InputError(where + ": cannot resolve " + file.string());
  const auto r = real.lexically_relative(root);
  if (r.empty() || *r.begin() == "..") throw InputError(where + " resolves to " + real.string() + ", outside the model's folder");
  return file;
}

}  // namespace

ExternalData resolve_external_data(const std::string& model_path, const std::string& who,
                                   const std::vector<std::pair<std::string, std::string>>& keys, uint64_t expected) {
  std::map<std::string, std::string> kv;
  for (const auto& [k, v] : keys) {
    if (k != "location" && k != "offset" && k != "length" && k != "checksum")
      throw InputError(who + ": unknown external_data key '" + k + "' (location, offset, length, checksum)");
    if (!kv.emplace(k, v).second) throw InputError(who + ": external_data key '" + k + "' given twice");
  }
  if (!kv.count("location")) throw InputError(who + " has data_location EXTERNAL but no external_data location");
  fs::path dir = fs::path(model_path).parent_path();
  if (dir.empty()) dir = ".";
  ExternalData x;
  x.file = confined(dir, kv["location"], who).string();
  if (kv.count("offset")) x.offset = parse_count(kv["offset"], who + ": external_data offset");
  x.length = kv.count("length") ? parse_count(kv["length"], who + ": external_data length") : expected;
  if (x.length != expected)
    throw InputError(who + ": external_data length " + std::to_string(x.length) + " does not match its dims and type (" +
                     std::to_string(expected) + " bytes)");
  std::error_code ec;
  const uint64_t size = fs::file_size(x.file, ec);
  if (ec) throw InputError(who + ": cannot read external data file " + x.file);
  if (x.offset > size || x.length > size - x.offset)
    throw InputError(who + ": external data bytes " + std::to_string(x.offset) + ".." + std::to_string(x.offset + x.length) +
                     " run past the end of " + x.file + " (" + std::to_string(size) + " bytes; truncated?)");
  return x;
}

std::vector<uint8_t> read_external_bytes(const ExternalData& x, const std::string& who) {
  std::ifstream in(x.file, std::ios::binary);
  std::vector<uint8_t> b(x.length);
  in.seekg(static_cast<std::streamoff>(x.offset));
  in.read(reinterpret_cast<char*>(b.data()), static_cast<std::streamsize>(b.size()));
  if (!in || static_cast<uint64_t>(in.gcount()) != x.length) throw InputError(who + ": cannot read external data from " + x.file);
  return b;
}

}  // namespace accsim
