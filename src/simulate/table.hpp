#pragma once
// A time series as plain data: named columns and one row per output time. src/io writes it as CSV.

#include <string>
#include <vector>

namespace cartsim::simulate {

struct Table {
    std::vector<std::string> columns;       // the first is "time_day"
    std::vector<std::vector<double>> rows;  // each row has one value per column
};

}  // namespace cartsim::simulate
