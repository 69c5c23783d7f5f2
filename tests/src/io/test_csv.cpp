// The time series as CSV: the wide table (timeseries.csv) and the long (tidy) form, one line per time
// and column, both streamed in pieces, numbers in their shortest round-trip form.

#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <unistd.h>

#include "src/io/csv.hpp"

using namespace cartsim;
namespace fs = std::filesystem;

namespace {

fs::path fresh_file(const std::string& name, const std::string& file = "timeseries_long.csv") {
    const fs::path folder = fs::temp_directory_path() / ("cartsim-csv-" + name + "-" + std::to_string(::getpid()));
    fs::remove_all(folder);
    fs::create_directories(folder);
    return folder / file;
}

std::string content(const fs::path& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

}  // namespace

TEST_CASE("long time series: a small table gives one line per time and column, in order") {
    simulate::Table table;
    table.columns = {"time_day", "tumour_total_cells", "cart_car_blood_cells_per_ul"};
    table.rows = {{0.0, 1e11, 0.0}, {0.5, 9.5e10, 12.25}};
    const fs::path file = fresh_file("small");
    io::write_long_csv(file, table);
    CHECK(content(file) ==
          "time_day,variable,value\n"
          "0,tumour_total_cells,1e+11\n"
          "0,cart_car_blood_cells_per_ul,0\n"
          "0.5,tumour_total_cells,9.5e+10\n"
          "0.5,cart_car_blood_cells_per_ul,12.25\n");
    fs::remove_all(file.parent_path());
}

TEST_CASE("long time series: a table of several megabytes reads back to the wide table's values") {
    simulate::Table table;
    table.columns = {"time_day"};
    for (int c = 0; c < 40; ++c) table.columns.push_back("column_" + std::to_string(c) + "_cells");
    for (int r = 0; r < 3000; ++r) {
        std::vector<double> row{r * 0.25};
        for (int c = 0; c < 40; ++c) row.push_back(1.0 / (1 + r) + c * 1e9 + 1e-7 * r * c);
        table.rows.push_back(row);
    }
    const fs::path file = fresh_file("large");
    io::write_long_csv(file, table);
    std::ifstream in(file);
    std::string line;
    std::getline(in, line);
    CHECK(line == "time_day,variable,value");
    std::size_t lines = 0, mismatches = 0;
    for (std::size_t r = 0; r < table.rows.size(); ++r)
        for (std::size_t c = 1; c < table.columns.size(); ++c) {
            REQUIRE(std::getline(in, line));
            ++lines;
            const auto cells = io::split_csv_line(line);
            REQUIRE(cells.size() == 3);
            if (std::stod(cells[0]) != table.rows[r][0] || cells[1] != table.columns[c] ||
                std::stod(cells[2]) != table.rows[r][c])
                ++mismatches;
        }
    CHECK(lines == 3000 * 40);
    CHECK(mismatches == 0);
    CHECK_FALSE(std::getline(in, line));  // nothing after the last row
    CHECK(fs::file_size(file) > (2u << 20));  // more than one piece was written
    fs::remove_all(file.parent_path());
}

TEST_CASE("csv: a small table is its header and one line per row, zeros as 0 and non-finite values spelled") {
    simulate::Table table;
    table.columns = {"time_day", "tumour_total_cells", "drug_ug_per_ml"};
    table.rows = {{0.0, 3e11, -0.0},
                  {0.5, 0.1, std::numeric_limits<double>::quiet_NaN()},
                  {1.0, std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()}};
    const fs::path file = fresh_file("wide-small", "timeseries.csv");
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
    const fs::path file = fresh_file("wide-large", "timeseries.csv");
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
