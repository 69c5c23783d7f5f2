#include <doctest/doctest.h>

#include "src/config/suggest.hpp"

using namespace cartsim::config;

TEST_CASE("config: edit distance counts insertions, deletions, substitutions and swaps") {
    CHECK(edit_distance("", "") == 0);
    CHECK(edit_distance("abc", "") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("growht", "growth") == 1);
    CHECK(edit_distance("dose", "dose") == 0);
}

TEST_CASE("config: did_you_mean suggests only close candidates") {
    const std::vector<std::string> keys{"growth_rate_per_day", "death_rate_per_day", "law"};
    CHECK(did_you_mean("growht_rate_per_day", keys) == "growth_rate_per_day");
    CHECK(did_you_mean("lwa", keys) == "law");
    CHECK_FALSE(did_you_mean("colour", keys).has_value());
    // The threshold grows with the word: a 15-letter word may be up to 5 edits away (4 here).
    CHECK(did_you_mean("grwth_rte_pr_dy", keys) == "growth_rate_per_day");
    CHECK_FALSE(did_you_mean("x", std::vector<std::string>{}).has_value());
    CHECK(suggestion_suffix("lawz", keys) == " (did you mean 'law'?)");
    CHECK(suggestion_suffix("zzzzzz", keys).empty());
}
