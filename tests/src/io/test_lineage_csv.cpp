// lineage.csv is streamed to disk in pieces: the file is the same as one built whole, and a failed
// write leaves neither the file nor its temporary.

#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"

using namespace cartsim;
namespace fs = std::filesystem;

namespace {

std::string content(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

fs::path fresh_folder(const std::string& name) {
    const fs::path folder = fs::temp_directory_path() / ("cartsim-lineage-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder;
}

}  // namespace

TEST_CASE("lineage csv: 60,000 records streamed in pieces read back row by row, pooled record included") {
    const std::vector<std::string> clones{"main", "main.bcma1"};
    std::vector<simulate::LineageRecord> records(60'000);
    for (std::size_t i = 0; i < records.size(); ++i) {
        auto& r = records[i];
        r.id = static_cast<std::uint32_t>(i);
        r.clone = i == 0 ? 0 : 1;
        r.parent_clone = i == 0 ? -1 : 0;
        r.founding_day = 0.25 * static_cast<double>(i);
        if (i > 0 && i + 1 < records.size()) r.founding_cell = 1000 + i;
        r.peak_cells = 3.0;
        if (i % 2) r.extinction_day = 7.5;
        r.cells = i % 2 ? 0.0 : 2.0;
    }
    records.back().founding_events = 12345;  // a clone's pooled record
    const fs::path folder = fresh_folder("stream");
    io::write_lineage_csv(folder / "lineage.csv", records, clones);
    const std::string text = content(folder / "lineage.csv");
    CHECK(text.size() > 2 * (1u << 20));  // several pieces
    std::istringstream lines(text);
    std::string line;
    std::getline(lines, line);
    CHECK(line == "lineage,clone,parent_clone,founding_day,founding_cell_id,founding_events,peak_cells,extinction_day,"
                  "final_cells");
    std::size_t rows = 0;
    while (std::getline(lines, line)) {
        const auto cells = io::split_csv_line(line);
        REQUIRE(cells.size() == 9);
        const auto& r = records[rows];
        CHECK(cells[0] == std::to_string(r.id));
        CHECK(cells[1] == clones[r.clone]);
        CHECK(cells[2] == (r.parent_clone < 0 ? "" : clones[0]));
        CHECK(std::stod(cells[3]) == r.founding_day);
        CHECK(cells[4] == (r.founding_cell ? std::to_string(*r.founding_cell) : ""));
        CHECK(cells[5] == std::to_string(r.founding_events));
        CHECK(cells[7] == (r.extinction_day ? "7.5" : ""));
        ++rows;
    }
    CHECK(rows == records.size());
    CHECK(text.back() == '\n');
    fs::remove_all(folder);
}

TEST_CASE("lineage csv: a write that fails leaves no file and no temporary behind") {
    const fs::path folder = fresh_folder("fail");
    std::vector<simulate::LineageRecord> records(10);
    // A clone index with no name fails while the rows are formed, after the file was opened.
    records[5].clone = 7;
    CHECK_THROWS(io::write_lineage_csv(folder / "lineage.csv", records, {"main"}));
    CHECK(fs::is_empty(folder));
    fs::remove_all(folder);
}
