#pragma once
// Helpers shared by the unit tests: temporary files and "this call fails with that message".
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>

#include "sim/core/error.hpp"

namespace accsim::test {

// Writes `text` to a fresh file under the test's temporary directory and returns its path.
inline std::string write_temp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("accsim_unit_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path) << text;
  return path.string();
}

// The message of the InputError `f` throws; fails the test if it throws nothing or something else.
inline std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const InputError& e) {
    return e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "expected InputError, got: " << e.what();
    return "";
  }
  ADD_FAILURE() << "expected InputError, nothing was thrown";
  return "";
}

}  // namespace accsim::test

// Checks that an input error message contains every listed fragment (file:line, key path, reason).
#define EXPECT_ERROR_HAS(msg, fragment) \
  EXPECT_NE((msg).find(fragment), std::string::npos) << "message: " << (msg) << "\nmissing: " << (fragment)
