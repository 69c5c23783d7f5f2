#pragma once
// A Table as CSV: a header of column names, then one line per row; numbers in the shortest form that
// reads back to the same double.

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "src/simulate/run_result.hpp"
#include "src/simulate/table.hpp"

namespace cartsim::io {

std::string format_number(double value);
/// Appends format_number(value) to `out` (no string of its own).
void append_number(std::string& out, double value);

/// One CSV cell: quoted (RFC 4180) when it holds a comma, quote or line break.
std::string csv_cell(const std::string& text);
/// Splits one CSV line (without its line break) into cells, undoing csv_cell's quoting.
std::vector<std::string> split_csv_line(std::string_view line);
/// The table as CSV, written to `path` in pieces of about 1 MB through a temporary renamed into place.
void write_csv(const std::filesystem::path& path, const simulate::Table& table);
/// The table in long (tidy) form, written to `path` in pieces through a temporary renamed into place:
/// a header `time_day,variable,value`, then for each row of the table one line per column after the
/// first (the first column is the time), in the table's order.
void write_long_csv(const std::filesystem::path& path, const simulate::Table& table);

/// lineage.csv: one row per lineage record (declared clones and every mutant cell, or a clone's
/// pooled record of the founding events beyond hybrid.max_lineages), written to `path` in pieces of
/// about 1 MB through a temporary that is renamed into place.
void write_lineage_csv(const std::filesystem::path& path, const std::vector<simulate::LineageRecord>& lineages,
                       const std::vector<std::string>& clone_names);

}  // namespace cartsim::io
