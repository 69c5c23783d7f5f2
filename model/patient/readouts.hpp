#pragma once
// Clinical and mechanistic readouts of one patient state (MODEL.md section 6), each with its unit in
// its column name.

#include <string>
#include <vector>

#include "model/patient/myeloma_model.hpp"

namespace cartsim::patient {

/// Lower-case name safe for a CSV column: letters, digits and '_'.
std::string column_safe(const std::string& name);

/// Column names, in the order readout_row fills them (time is not included).
std::vector<std::string> readout_columns(const MyelomaModel& model);

/// Appends the readouts of state x to row.
void readout_row(const MyelomaModel& model, const State& x, std::vector<double>& row);

double marrow_plasma_cell_percent(const MyelomaModel& model, const State& x);
double tumour_marrow_fraction(const MyelomaModel& model, const State& x);  // tumour / all marrow cells
double median_bcma_molecules(const MyelomaModel& model, const State& x);    // surface density, with GSI
double cart_blood_cells_per_ul(const MyelomaModel& model, const State& x, std::size_t product);
double cart_functional_cells(const MyelomaModel& model, const State& x, std::size_t product);
double cart_exhausted_cells(const MyelomaModel& model, const State& x, std::size_t product);

}  // namespace cartsim::patient
