#pragma once
// "Did you mean" hints for mistyped keys and enum names.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cartsim::config {

/// Edit distance counting insertions, deletions, substitutions and swaps of two adjacent characters
/// (a swap is the most common typo: "growht" -> "growth" costs 1).
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate closest to `word`, if it is within max(2, len(word)/3) edits; ties go to the first.
std::optional<std::string> did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean 'x'?)" or "" when nothing is close; ready to append to a message.
std::string suggestion_suffix(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace cartsim::config
