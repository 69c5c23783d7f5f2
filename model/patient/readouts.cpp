#include "model/patient/readouts.hpp"

namespace cartsim::patient {

std::vector<std::string> readout_columns(const MyelomaModel& model) {
    std::vector<std::string> cols{"tumour_total_cells"};
    for (const auto& clone : model.clone_set().clones) cols.push_back("tumour_" + column_safe(clone.name) + "_cells");
    cols.insert(cols.end(), {"marrow_plasma_cell_percent", "tumour_marrow_fraction", "bcma_median_molecules_per_cell"});
    if (model.has_second_site()) cols.push_back("extramedullary_cells");
    for (const auto& slot : model.slots().cart) {
        const std::string p = "cart_" + column_safe(slot.name);
        cols.insert(cols.end(), {p + "_blood_cells_per_ul", p + "_blood_copies_per_ug_dna", p + "_marrow_effector_cells",
                                 p + "_marrow_memory_cells",
                                 p + "_marrow_exhausted_cells", p + "_exhausted_fraction", p + "_doublings"});
    }
    cols.insert(cols.end(), {"endogenous_t_functional_cells", "endogenous_t_exhausted_cells",
                             "macrophage_neutral_cells", "macrophage_suppressive_cells", "suppression_fraction",
                             "sbcma_ng_per_ml"});
    for (const auto& slot : model.slots().bispecific)
        cols.push_back("drug_" + column_safe(slot.name) + "_ug_per_ml");
    cols.insert(cols.end(), {"mprotein_g_per_dl", "inflammation_index", "ld_cytokine_index", "homeostatic_cytokine_fold",
                             "cytokine_desensitisation_fraction"});
    if (model.mechanisms().myeloid_memory) cols.push_back("myeloid_imprint_index");
    for (const auto& binder : model.binder_names()) cols.push_back("anti_car_" + column_safe(binder) + "_response_fraction");
    return cols;
}

double tumour_marrow_fraction(const MyelomaModel& model, const State& x) {
    const double n = model.marrow_tumour_cells(x);
    return n / (n + model.params().tumour.marrow_other_cells);
}

double marrow_plasma_cell_percent(const MyelomaModel& model, const State& x) {
    return 100.0 * tumour_marrow_fraction(model, x);
}

double median_bcma_molecules(const MyelomaModel& model, const State& x) {
    return model.grid().quantile(model.bcma_histogram(x), 0.5) * model.effective_bcma_fold();
}

double cart_blood_cells_per_ul(const MyelomaModel& model, const State& x, std::size_t product) {
    const auto& l = model.layout();
    const double cells = x[l.cart(product, CarTPool::EffectorBlood)] + x[l.cart(product, CarTPool::MemoryBlood)];
    return cells / (model.params().blood_volume_l * 1e6);  // 1 L = 1e6 uL
}

double cart_blood_copies_per_ug_dna(const MyelomaModel& model, const State& x, std::size_t product) {
    return cart_blood_cells_per_ul(model, x, product) * model.slots().cart[product].params.vector_copies_per_cell *
           kGenomesPerUgDna / model.params().blood_leukocytes_per_ul;
}

double cart_functional_cells(const MyelomaModel& model, const State& x, std::size_t product) {
    const auto& l = model.layout();
    return x[l.cart(product, CarTPool::EffectorBlood)] + x[l.cart(product, CarTPool::MemoryBlood)] +
           x[l.cart(product, CarTPool::EffectorMarrow)] + x[l.cart(product, CarTPool::MemoryMarrow)];
}

double cart_exhausted_cells(const MyelomaModel& model, const State& x, std::size_t product) {
    return x[model.layout().cart(product, CarTPool::ExhaustedMarrow)];
}

void readout_row(const MyelomaModel& model, const State& x, double t, std::vector<double>& row) {
    const auto& l = model.layout();
    row.push_back(model.tumour_cells(x));
    for (std::size_t c = 0; c < l.clones(); ++c) row.push_back(model.clone_cells(x, c));
    row.push_back(marrow_plasma_cell_percent(model, x));
    row.push_back(tumour_marrow_fraction(model, x));
    row.push_back(median_bcma_molecules(model, x));
    if (model.has_second_site()) row.push_back(model.extramedullary_cells(x));
    for (std::size_t p = 0; p < l.cart_products(); ++p) {
        const double e = x[l.cart(p, CarTPool::EffectorMarrow)], m = x[l.cart(p, CarTPool::MemoryMarrow)];
        const double xm = x[l.cart(p, CarTPool::ExhaustedMarrow)];
        row.insert(row.end(), {cart_blood_cells_per_ul(model, x, p), cart_blood_copies_per_ug_dna(model, x, p), e, m, xm,
                               e + m + xm > 0 ? xm / (e + m + xm) : 0.0, x[l.cart_doublings(p)]});
    }
    const auto at = [&](Compartment c) { return x[l.compartment(c)]; };
    row.insert(row.end(), {at(Compartment::EndogenousFunctional), at(Compartment::EndogenousExhausted),
                           at(Compartment::MacrophageNeutral), at(Compartment::MacrophageSuppressive),
                           model.suppression(x), at(Compartment::SolubleBcma)});
    for (std::size_t b = 0; b < l.bispecifics(); ++b) row.push_back(model.bispecific_concentration_ug_per_ml(x, b, t));
    row.insert(row.end(), {at(Compartment::MProtein), at(Compartment::Inflammation), model.ld_cytokine_index(x),
                           model.homeostatic_cytokine_fold(x), at(Compartment::Desensitisation)});
    if (model.mechanisms().myeloid_memory) row.push_back(at(Compartment::MyeloidImprint));
    for (std::size_t b = 0; b < l.cart_binders(); ++b) row.push_back(model.anti_car_response(x, b));
}

}  // namespace cartsim::patient
