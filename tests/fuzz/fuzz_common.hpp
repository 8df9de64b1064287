#pragma once
// Shared harness of the libFuzzer targets (tests/fuzz/targets/*.cpp, docs/reliability.md).
//
// Each target feeds one input to one reader. A documented bad-input error (InputError, UsageError,
// a filesystem error: exit 2 in the CLI) is the expected outcome for garbage; any other exception
// would be exit 1 "internal error" in the CLI, so it aborts here and libFuzzer records a crasher,
// like a sanitizer report, a crash or a timeout.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "sim/app/cli.hpp"
#include "sim/core/error.hpp"

namespace accsim::fuzz {

// A per-process scratch folder; energy/ links to the shipped tables so arch files that name
// ../energy/45nm.yaml (as the seed configs do) resolve.
inline const std::filesystem::path& scratch() {
  static const std::filesystem::path dir = [] {
    const char* base = std::getenv("TMPDIR");
    std::filesystem::path d = std::filesystem::path(base ? base : "/tmp") / ("accsim-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(d / "arch");
    std::error_code ec;
    std::filesystem::create_directory_symlink(std::filesystem::path(ACCSIM_SOURCE_DIR) / "configs" / "energy",
                                              d / "energy", ec);
    std::atexit([] { std::error_code e; std::filesystem::remove_all(scratch(), e); });
    return d;
  }();
  return dir;
}

// Writes the input to scratch()/SUB/NAME and returns the path.
inline std::string input_file(const uint8_t* data, size_t size, const std::string& name) {
  const std::filesystem::path p = scratch() / name;
  std::ofstream(p, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data),
                                                              static_cast<std::streamsize>(size));
  return p.string();
}

template <class F>
int run_reader(F&& reader) {
  try {
    reader();
  } catch (const InputError&) {
  } catch (const UsageError&) {
  } catch (const std::filesystem::filesystem_error&) {
  } catch (const std::exception& e) {
    std::fprintf(stderr, "accsim fuzz: internal error (exit 1 in the CLI): %s\n", e.what());
    std::abort();
  }
  return 0;
}

}  // namespace accsim::fuzz

#define ACCSIM_FUZZ_TARGET(...)                                                    \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {        \
    return accsim::fuzz::run_reader([&] { __VA_ARGS__; });                              \
  }
