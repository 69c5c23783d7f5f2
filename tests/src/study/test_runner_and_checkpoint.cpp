#include <doctest/doctest.h>

#include <algorithm>
#include <fstream>
#include <mutex>

#include "src/io/atomic_file.hpp"
#include "src/study/checkpoint.hpp"
#include "src/study/runner.hpp"
#include "tests/src/study/study_files.hpp"

using namespace cartsim;
using namespace cartsim::study;
using cartsim::study::testing::kTrial;
using cartsim::study::testing::TempFolder;

namespace {

std::vector<std::string> run_rows(const LoadedStudy& s, RunnerOptions o, RunnerStats* stats = nullptr) {
    std::vector<std::string> rows;
    const auto result = run_study(s, row_layout(s, {}), o, [&](const std::string& row) { rows.push_back(row); });
    if (stats) *stats = result;
    std::sort(rows.begin(), rows.end());
    return rows;
}

}  // namespace

TEST_CASE("runner: the same rows on 1 and 2 threads and when split across two ranks") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("t.yaml", kTrial), {});
    REQUIRE(loaded);
    RunnerOptions one;
    const auto single = run_rows(loaded.value(), one);
    CHECK(single.size() == 12);
    RunnerOptions two;
    two.threads = 2;
    two.buffer_rows = 1;  // the writer must keep up with a one-row buffer
    CHECK(run_rows(loaded.value(), two) == single);
    std::vector<std::string> split;
    for (int rank = 0; rank < 2; ++rank) {
        RunnerOptions part;
        part.rank = rank;
        part.ranks = 2;
        const auto rows = run_rows(loaded.value(), part);
        CHECK(rows.size() == 6);
        split.insert(split.end(), rows.begin(), rows.end());
    }
    std::sort(split.begin(), split.end());
    CHECK(split == single);
}

TEST_CASE("runner: finished units are skipped and a stop flag starts nothing new") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("t.yaml", kTrial), {});
    REQUIRE(loaded);
    std::set<UnitKey> finished{{"car", 0}, {"none", 5}};
    RunnerOptions o;
    o.finished = &finished;
    RunnerStats stats;
    const auto rows = run_rows(loaded.value(), o, &stats);
    CHECK(rows.size() == 10);
    CHECK(stats.skipped == 2);
    CHECK(units_to_run(loaded.value(), o) == 10);
    std::atomic<bool> stop{true};
    o.stop = &stop;
    CHECK(run_rows(loaded.value(), o, &stats).empty());
    CHECK(stats.interrupted);
}

TEST_CASE("runner: a failing writer stops the study and its error reaches the caller") {
    TempFolder dir;
    const auto loaded = load_study(dir.write("t.yaml", kTrial), {});
    REQUIRE(loaded);
    RunnerOptions o;
    o.threads = 2;
    CHECK_THROWS_WITH_AS(run_study(loaded.value(), row_layout(loaded.value(), {}), o,
                                   [](const std::string&) { throw std::runtime_error("disk full"); }),
                         "disk full", std::runtime_error);
}

TEST_CASE("checkpoint: partial rows survive, a cut-short line is dropped, and merging makes patients.csv") {
    TempFolder dir;
    const auto out = dir.path();
    {
        PartialWriter w(partial_path(out, 0), "patient,arm,x");
        w.write("0,a,1");
        w.write("1,a,2");
    }
    std::ofstream(partial_path(out, 0), std::ios::app) << "2,a,3";  // a crash mid-line
    std::ofstream(partial_path(out, 1)) << "patient,arm,x\n0,b,4\n";
    auto done = finished_units(out, "patient,arm,x", false);
    CHECK(done == std::set<UnitKey>{{"a", 0}, {"a", 1}, {"b", 0}});
    CHECK_THROWS_AS(finished_units(out, "patient,arm,y", false), std::runtime_error);
    {
        PartialWriter w(partial_path(out, 0), "patient,arm,x");  // reopening trims the cut line
        w.write("2,a,3");
    }
    CHECK_THROWS_AS(merge_partials(out, "patient,arm,x", out / "patients.csv", 5), io::IoError);  // 4 rows, not 5
    CHECK_FALSE(std::filesystem::exists(out / "patients.csv"));
    CHECK(merge_partials(out, "patient,arm,x", out / "patients.csv", 4) == 4);
    std::ifstream in(out / "patients.csv");
    std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK(all == "patient,arm,x\n0,a,1\n1,a,2\n2,a,3\n0,b,4\n");
    CHECK(partial_files(out).size() == 2);  // kept until the study's other files are written
    remove_partials(out);
    CHECK(partial_files(out).empty());
}
