#pragma once
// Clinical and mechanistic readouts of one patient state (MODEL.md section 6), each with its unit in
// its column name.

#include <string>
#include <vector>

#include "model/common/names.hpp"
#include "model/patient/myeloma_model.hpp"

namespace cartsim::patient {

using cartsim::column_safe;  // model/common/names.hpp

/// Column names, in the order readout_row fills them (time is not included).
std::vector<std::string> readout_columns(const MyelomaModel& model);

/// Appends the readouts of state x at time t [days] to row.
void readout_row(const MyelomaModel& model, const State& x, double t, std::vector<double>& row);

double marrow_plasma_cell_percent(const MyelomaModel& model, const State& x);
double tumour_marrow_fraction(const MyelomaModel& model, const State& x);  // tumour / all marrow cells
double median_bcma_molecules(const MyelomaModel& model, const State& x);    // surface density, with GSI
double cart_blood_cells_per_ul(const MyelomaModel& model, const State& x, std::size_t product);
/// Diploid human genomes per ug of DNA: 6.4e9 bp at 978 Mbp per pg is 6.54 pg per genome (Dolezel
/// et al., Cytometry A 2003).
inline constexpr double kGenomesPerUgDna = 1e6 / 6.54;
/// Blood CAR transgene copies per ug of DNA, the unit of the trials' qPCR: CAR-T cells/uL x copies
/// per cell / nucleated blood cells/uL x genomes per ug. Lymphodepletion changes the leukocyte count
/// the qPCR divides by; the model holds it at blood_leukocytes_per_ul.
double cart_blood_copies_per_ug_dna(const MyelomaModel& model, const State& x, std::size_t product);
double cart_functional_cells(const MyelomaModel& model, const State& x, std::size_t product);
double cart_exhausted_cells(const MyelomaModel& model, const State& x, std::size_t product);

}  // namespace cartsim::patient
