#pragma once
// The output naming contract, for every CSV cartsim writes (README.md, "Output files"):
//   - a column name is lowercase letters, digits and underscores and starts with a letter, with its
//     unit as a suffix where it has one (_days, _cells_per_ul, _g_per_dl, _percent, ...);
//   - a scenario parameter's column (drawn by a cohort, swept, or set by an arm) is its key path with
//     [name] written .name and the name made column-safe: patient.tumour.clones[bcma-neg].fraction
//     becomes patient.tumour.clones.bcma_neg.fraction; parameter columns are the only ones with dots;
//   - a per-line column is line<k>_<what>, k = 1, 2, ... in the order of the regimen;
//   - names users give (clones, products, antigens) enter column names through column_safe.
// Such names pass R's read.csv (check.names) and pandas unchanged; two columns of one file never
// share a name (a clash is refused with both sources named).

#include <string>
#include <string_view>
#include <vector>

namespace cartsim::io {

/// The column of a scenario parameter's key path.
std::string parameter_column(std::string_view path);

/// True when the name follows the contract.
bool valid_column(std::string_view name);

/// Throws std::invalid_argument, naming both sources, when two columns have the same name; sources[i]
/// says where column i comes from (for example its key path).
void require_distinct_columns(const std::vector<std::string>& columns, const std::vector<std::string>& sources,
                              std::string_view file);

}  // namespace cartsim::io
