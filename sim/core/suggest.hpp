#pragma once
// "Did you mean" hints: the closest known name to a mistyped one, by edit distance.
#include <string>
#include <vector>

namespace accsim {

// Levenshtein distance (insertions, deletions, substitutions), O(|a| |b|) time, O(|b|) memory.
size_t edit_distance(const std::string& a, const std::string& b);

// " (did you mean 'X'?)" for the unique closest candidate within max(2, |word| / 3) edits; "" when
// nothing is that close or two candidates tie, so a hint is only given when it is likely right.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace accsim
