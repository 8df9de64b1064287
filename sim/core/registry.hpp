#pragma once
// One registry template for every family of self-registering components: compute blocks
// (`compute.kind`), MAC units (`mac.kind`), memory models (`dram.kind`), CLI commands and zoo
// networks. A kind declares itself once, in a KindInfo: its parameters, the simulation modes it
// supports, the layer ops it runs natively and the actions it counts. `accsim list`, unknown-key
// errors (ConfigNode::finish) and mode errors all come from that declaration.
#include <algorithm>
#include <functional>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/core/config.hpp"

namespace accsim {

// One kind of action a block counts (the Accelergy idea: energy = count x reference entry).
struct ActionDecl {
  std::string name;    // e.g. "mac", "sram.ifmap.read_bytes"; counts appear under this name
  std::string unit;    // what one count is: "MAC", "byte", "bit", "mma", ...
  std::string prices;  // the energy component it is charged to in energy_breakdown_pj
  std::string doc;     // which energy-table entry prices one count
};

struct KindInfo {
  std::string name;
  std::string summary;
  // Reads the kind's parameters from its config node: each read names key, unit, default and doc
  // (ConfigNode::get). Run on a describing node (describe_config) it documents them and builds
  // nothing; run on a real node it validates them. Empty: the kind takes no parameters.
  std::function<void(ConfigNode&)> params;
  std::vector<std::string> modes = {"event"};  // sim.mode values the kind supports
  std::vector<std::string> ops;                // layer ops it runs natively (empty: not a compute kind)
  std::vector<ActionDecl> actions;             // the actions it reports, each with its price
};

// `Item` is what a registration provides besides its KindInfo: a factory of the family's
// interface (std::function<std::unique_ptr<Interface>(ConfigNode&, ...)>) or, for CLI commands,
// the command itself. Entries are kept sorted by name, so listings are deterministic.
template <class Item>
class Registry {
 public:
  struct Entry {
    KindInfo info;
    Item item;
  };

  explicit Registry(std::string family) : family_(std::move(family)) {}

  // Called from static registrars; a second registration of a name is a programming error.
  void add(KindInfo info, Item item) {
    const std::string name = info.name;
    if (!entries_.emplace(name, Entry{std::move(info), std::move(item)}).second)
      throw std::logic_error(family_ + " '" + name + "' registered twice");
  }
  const Entry* find(const std::string& name) const {
    auto it = entries_.find(name);
    return it == entries_.end() ? nullptr : &it->second;
  }
  bool contains(const std::string& name) const { return entries_.count(name) > 0; }
  const std::map<std::string, Entry>& entries() const { return entries_; }
  const std::string& family() const { return family_; }
  // "a|b|c": the choices for a `kind` key.
  std::string known(const std::string& separator = "|") const {
    std::string out;
    for (const auto& kv : entries_) out += (out.empty() ? "" : separator) + kv.first;
    return out;
  }
  // Reads `key` of `node` (with `fallback` as default; empty = required) and returns its entry,
  // or fails naming the key and the known kinds.
  const Entry& select(ConfigNode& node, const std::string& key, const std::string& fallback,
                      const std::string& doc) const {
    const std::string name = fallback.empty() ? node.require<std::string>(key, known(), doc)
                                              : node.get<std::string>(key, fallback, known(), doc);
    const Entry* e = find(name);
    if (!e) node.fail(key, "unknown " + family_ + " '" + name + "' (known: " + known() + ")");
    return *e;
  }
  // The parameter docs of one kind, as its params function declares them under `prefix`.
  std::vector<ParamDoc> describe(const std::string& name, const std::string& prefix) const {
    std::vector<ParamDoc> docs;
    const Entry* e = find(name);
    if (!e || !e->info.params) return docs;
    ConfigNode root = describe_config(docs);
    ConfigNode node = root.child(prefix, family_);
    docs.clear();
    e->info.params(node);
    return docs;
  }

 private:
  std::string family_;
  std::map<std::string, Entry> entries_;
};

// True when `mode` is one the kind declares.
inline bool supports_mode(const KindInfo& info, const std::string& mode) {
  return std::find(info.modes.begin(), info.modes.end(), mode) != info.modes.end();
}

}  // namespace accsim
