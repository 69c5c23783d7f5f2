// src/parallel/replicates and aggregate: seeds by index, same records for any thread count, failures
// recorded per replicate, outcome counts with Wilson intervals.

#include <doctest/doctest.h>

#include <atomic>
#include <climits>
#include <numeric>
#include <set>
#include <stdexcept>
#include <string>

#include "src/io/summary_json.hpp"
#include "src/parallel/aggregate.hpp"
#include "src/parallel/replicates.hpp"
#include "src/simulate/outcome.hpp"
#include "src/simulate/patient_run.hpp"

using namespace cartsim;
using namespace cartsim::parallel;

namespace {

/// A short untreated run where the seed matters: background mortality of 5/year gives a death
/// before day 60 to about 56% of the replicates, each on its own day.
simulate::Scenario quick_scenario() {
    simulate::Scenario s;
    s.name = "quick";
    s.horizon_days = 60.0;
    s.seed = 11;
    s.mechanisms.background_mortality = true;
    s.patient.background_mortality_per_year = 5.0;
    return s;
}

std::string fingerprint(const ReplicateRecord& r) {
    return std::to_string(r.replicate) + " " + std::to_string(r.seed) + " " + r.outcome + " " + r.error + " " +
           (r.summary ? io::summary_to_json(*r.summary).dump() : "none");
}

ReplicateRecord synthetic(int replicate, std::string outcome, std::optional<double> progression_day = {}) {
    ReplicateRecord r;
    r.replicate = replicate;
    r.seed = 100 + replicate;
    r.outcome = std::move(outcome);
    if (r.outcome == kErrorOutcome) {
        r.error = "solver failed: step size underflow";
    } else {
        r.summary.emplace();
        r.summary->progression_day = progression_day;
    }
    return r;
}

}  // namespace

TEST_CASE("replicates: identical records on 1 and 2 threads, seeds scenario seed + i") {
    const auto scenario = quick_scenario();
    const int n = 12;
    std::atomic<int> completed{0};
    ReplicateOptions options;
    options.completed = &completed;
    const auto one = run_replicates(scenario, n, 1);
    const auto two = run_replicates(scenario, n, 2, options);
    CHECK(completed.load() == n);
    REQUIRE(one.size() == static_cast<std::size_t>(n));
    REQUIRE(two.size() == one.size());
    for (int i = 0; i < n; ++i) {
        const auto& r = one[static_cast<std::size_t>(i)];
        CAPTURE(i);
        CHECK(r.replicate == i);
        CHECK(r.seed == scenario.seed + i);
        CHECK(r.error.empty());
        REQUIRE(r.summary.has_value());
        CHECK(r.outcome == simulate::classify_outcome(*r.summary));
        CHECK(fingerprint(r) == fingerprint(two[static_cast<std::size_t>(i)]));
    }
    // Replicate 0 is the single run of the scenario.
    CHECK(io::summary_to_json(*one.front().summary) == io::summary_to_json(simulate::run_patient(scenario).summary));
}

TEST_CASE("replicates: different seeds give different records") {
    const auto records = run_replicates(quick_scenario(), 12, 2);
    std::set<std::string> death_days;
    int deaths = 0;
    for (const auto& r : records) {
        REQUIRE(r.summary.has_value());
        if (r.summary->death_day) ++deaths;
        death_days.insert(r.summary->death_day ? std::to_string(*r.summary->death_day) : "none");
    }
    // P(all 12 alive or all 12 dead) is below 1e-4 at a death probability of 0.56.
    CHECK(deaths > 0);
    CHECK(deaths < 12);
    CHECK(death_days.size() == static_cast<std::size_t>(deaths) + 1);  // each death on its own day
    auto shifted = quick_scenario();
    shifted.seed += 1000;
    const auto other = run_replicates(shifted, 12, 2);
    int same = 0;
    for (std::size_t i = 0; i < records.size(); ++i)
        same += io::summary_to_json(*records[i].summary) == io::summary_to_json(*other[i].summary);
    CHECK(same < 12);
}

TEST_CASE("replicates: a failing replicate is recorded and the others go on") {
    ReplicateOptions options;
    options.runner = [](const simulate::Scenario& s) -> simulate::Summary {
        if (s.seed % 5 == 0) throw ode::IntegrationError("step size underflow at day 3");
        if (s.seed % 7 == 0) throw std::runtime_error("out of memory");
        simulate::Summary summary;
        summary.progression_day = static_cast<double>(s.seed);
        summary.best_response = endpoints::Response::Complete;
        return summary;
    };
    const auto records = run_replicates(quick_scenario(), 20, 2, options);  // seeds 11..30
    REQUIRE(records.size() == 20);
    int failed = 0;
    for (const auto& r : records) {
        CAPTURE(r.seed);
        if (r.seed % 5 == 0 || r.seed % 7 == 0) {
            ++failed;
            CHECK(r.outcome == kErrorOutcome);
            CHECK_FALSE(r.summary.has_value());
            CHECK(r.error == (r.seed % 5 == 0 ? "solver failed: step size underflow at day 3" : "out of memory"));
        } else {
            CHECK(r.error.empty());
            CHECK(r.outcome == "antigen_positive_relapse");
        }
    }
    CHECK(failed == 7);  // 15, 20, 25, 30 and 14, 21, 28
    const auto a = aggregate(records);
    CHECK(a.failed == 7);
    CHECK(a.outcomes.back().outcome == "error");
    CHECK(a.outcomes.back().count == 7);
    CHECK(a.progressed == 13);
    CHECK(a.median_progression_day == 19.0);  // median of 11..30 without the failed seeds

    // A real failure: the myeloma runner refuses a reference-model scenario, replicate by replicate.
    auto reference = quick_scenario();
    reference.model = simulate::ModelKind::Singh2021;
    for (const auto& r : run_replicates(reference, 3, 2)) {
        CHECK(r.outcome == kErrorOutcome);
        CHECK_FALSE(r.error.empty());
    }
}

TEST_CASE("replicates: bad counts and seeds beyond INT_MAX are refused before running") {
    const auto s = quick_scenario();
    CHECK_THROWS_AS(run_replicates(s, 0, 1), std::invalid_argument);
    CHECK_THROWS_AS(run_replicates(s, 3, 0), std::invalid_argument);
    auto high = s;
    high.seed = INT_MAX - 1;
    CHECK(replicate_seed(high, 1) == INT_MAX);
    CHECK_THROWS_AS(replicate_seed(high, 2), std::invalid_argument);
    int calls = 0;
    ReplicateOptions counting;
    counting.runner = [&calls](const simulate::Scenario&) {
        ++calls;
        return simulate::Summary{};
    };
    CHECK_THROWS_AS(run_replicates(high, 3, 1, counting), std::invalid_argument);
    CHECK(calls == 0);
    CHECK(default_thread_count() >= 1);
}

TEST_CASE("aggregate: every outcome in order with zeros, shares sum to 1, Wilson intervals, median") {
    std::vector<ReplicateRecord> records;
    for (int i = 0; i < 6; ++i) records.push_back(synthetic(i, "antigen_negative_relapse", 100.0 + 10 * i));
    for (int i = 6; i < 9; ++i) records.push_back(synthetic(i, "cure"));
    records.push_back(synthetic(9, std::string(kErrorOutcome)));
    const auto a = aggregate(records);
    CHECK(a.replicates == 10);
    REQUIRE(a.outcomes.size() == simulate::kOutcomes.size() + 1);
    for (std::size_t i = 0; i < simulate::kOutcomes.size(); ++i) CHECK(a.outcomes[i].outcome == simulate::kOutcomes[i]);
    CHECK(a.outcomes.back().outcome == "error");
    double shares = 0.0;
    long counts = 0;
    for (const auto& o : a.outcomes) {
        CAPTURE(o.outcome);
        shares += o.share;
        counts += o.count;
        const auto expected = wilson_interval(o.count, 10);
        CHECK(o.ci.low == expected.low);
        CHECK(o.ci.high == expected.high);
        const long expected_count = o.outcome == "antigen_negative_relapse" ? 6
                                    : o.outcome == "cure"                   ? 3
                                    : o.outcome == "error"                  ? 1
                                                                            : 0;
        CHECK(o.count == expected_count);
    }
    CHECK(counts == 10);
    CHECK(shares == doctest::Approx(1.0).epsilon(1e-15));
    CHECK(a.failed == 1);
    CHECK(a.progressed == 6);
    CHECK(a.median_progression_day == 125.0);  // median of 100, 110, ..., 150

    const auto none = aggregate({synthetic(0, "cure")});
    CHECK(none.progressed == 0);
    CHECK_FALSE(none.median_progression_day.has_value());
}
