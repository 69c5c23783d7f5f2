#pragma once
// A Table as CSV: a header of column names, then one line per row; numbers in the shortest form that
// reads back to the same double.

#include <string>

#include "src/simulate/table.hpp"

namespace cartsim::io {

std::string format_number(double value);
std::string to_csv(const simulate::Table& table);

}  // namespace cartsim::io
