#include <map>

#include "sim/hw/common/compute_block.hpp"

namespace accsim {

namespace {
struct Entry {
  std::string summary;
  ComputeFactory factory;
};
std::map<std::string, Entry>& registry() {
  static std::map<std::string, Entry> r;
  return r;
}
}  // namespace

void register_compute_kind(const std::string& kind, const std::string& summary, ComputeFactory factory) {
  registry()[kind] = Entry{summary, std::move(factory)};
}

std::unique_ptr<ComputeBlock> make_compute_block(ConfigNode& node, const ArchContext& arch, DramChannel& dram) {
  std::string known;
  for (const auto& kv : registry()) known += (known.empty() ? "" : "|") + kv.first;
  const std::string kind = node.require<std::string>("kind", known, "compute model");
  auto it = registry().find(kind);
  if (it == registry().end()) node.fail("kind", "unknown compute kind '" + kind + "' (known: " + known + ")");
  auto block = it->second.factory(node, arch, dram);
  node.finish();
  return block;
}

std::vector<KindInfo> compute_kinds() {
  std::vector<KindInfo> out;
  for (const auto& kv : registry()) out.push_back({kv.first, kv.second.summary});
  return out;
}

std::vector<ParamDoc> describe_compute_kind(const std::string& kind, const ArchContext& arch, DramChannel& dram) {
  std::vector<ParamDoc> docs;
  ConfigNode root = describe_config(docs);
  ConfigNode node = root.child("compute", "compute block");
  docs.clear();
  registry().at(kind).factory(node, arch, dram);
  return docs;
}

void layer_error(const Layer& layer, const std::string& message) {
  throw InputError(layer.origin, "layer '" + layer.name + "': " + message);
}

}  // namespace accsim
