// timeseries.csv: the wide table streamed in pieces, numbers in their shortest round-trip form.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <unistd.h>

#include "src/io/csv.hpp"

using namespace cartsim;
namespace fs = std::filesystem;

namespace {

fs::path fresh_file(const std::string& name) {
    const fs::path folder = fs::temp_directory_path() / ("cartsim-csv-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder / "timeseries.csv";
}

std::string content(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("csv: a small table is its header and one line per row, zeros as 0 and non-finite values spelled") {
    simulate::Table table;
    table.columns = {"time_day", "tumour_total_cells", "drug_ug_per_ml"};
    table.rows = {{0.0, 3e11, -0.0},
                  {0.5, 0.1, std::numeric_limits<double>::quiet_NaN()},
                  {1.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}};
    const fs::path file = fresh_file("small");
    io::write_csv(file, table);
    CHECK(content(file) ==
          "time_day,tumour_total_cells,drug_ug_per_ml\n"
          "0,3e+11,0\n"
          "0.5,0.1,nan\n"
          "1,inf,-inf\n");
    std::string appended = "x=";
    io::append_number(appended, 1.0 / 3.0);
    CHECK(appended == "x=" + io::format_number(1.0 / 3.0));
    CHECK(std::stod(io::format_number(1.0 / 3.0)) == 1.0 / 3.0);
    fs::remove_all(file.parent_path());
}

TEST_CASE("csv: a table of several megabytes is written in pieces and reads back exactly") {
    simulate::Table table;
    table.columns = {"time_day"};
    for (int c = 0; c < 30; ++c) table.columns.push_back("column_" + std::to_string(c));
    for (int r = 0; r < 5000; ++r) {
        std::vector<double> row{r * 0.5};
        for (int c = 0; c < 30; ++c) row.push_back(std::exp(0.01 * r) / (3 + c) + 1e-9 * c);
        table.rows.push_back(row);
    }
    const fs::path file = fresh_file("large");
    io::write_csv(file, table);
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    CHECK(io::split_csv_line(line) == table.columns);
    std::size_t rows = 0, mismatches = 0;
    while (std::getline(in, line)) {
        const auto cells = io::split_csv_line(line);
        REQUIRE(rows < table.rows.size());
        REQUIRE(cells.size() == table.columns.size());
        for (std::size_t c = 0; c < cells.size(); ++c)
            if (std::stod(cells[c]) != table.rows[rows][c]) ++mismatches;
        ++rows;
    }
    CHECK(rows == table.rows.size());
    CHECK(mismatches == 0);
    CHECK(fs::file_size(file) > (2u << 20));  // more than one piece
    CHECK(fs::directory_iterator(file.parent_path())->path() == file);  // no temporary left behind
    fs::remove_all(file.parent_path());
}
