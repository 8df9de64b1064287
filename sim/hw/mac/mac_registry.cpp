#include <map>

#include "sim/hw/mac/mac_unit.hpp"

namespace accsim {

namespace {
struct Entry {
  std::string summary;
  MacFactory factory;
};
std::map<std::string, Entry>& registry() {
  static std::map<std::string, Entry> r;
  return r;
}
}  // namespace

void register_mac_kind(const std::string& kind, const std::string& summary, MacFactory factory) {
  registry()[kind] = Entry{summary, std::move(factory)};
}

std::unique_ptr<MacUnit> make_mac_unit(ConfigNode& node) {
  std::string known;
  for (const auto& kv : registry()) known += (known.empty() ? "" : "|") + kv.first;
  const std::string kind = node.get("kind", "fixed", known, "MAC unit model");
  auto it = registry().find(kind);
  if (it == registry().end()) node.fail("kind", "unknown MAC kind '" + kind + "' (known: " + known + ")");
  auto unit = it->second.factory(node);
  node.finish();
  return unit;
}

std::vector<KindInfo> mac_kinds() {
  std::vector<KindInfo> out;
  for (const auto& kv : registry()) out.push_back({kv.first, kv.second.summary});
  return out;
}

std::vector<ParamDoc> describe_mac_kind(const std::string& kind) {
  std::vector<ParamDoc> docs;
  ConfigNode root = describe_config(docs);
  ConfigNode node = root.child("mac", "MAC unit");
  docs.clear();
  registry().at(kind).factory(node);
  return docs;
}

}  // namespace accsim
