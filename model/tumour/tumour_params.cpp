#include "model/tumour/tumour_params.hpp"

#include <cmath>
#include <set>

namespace cartsim::tumour {

const AntigenExpression& CloneSpec::expression(Antigen a) const {
    switch (a) {
        case Antigen::Bcma: return bcma;
        case Antigen::Gprc5d: return gprc5d;
        case Antigen::Fcrh5: return fcrh5;
        case Antigen::Cd38: return cd38;
        case Antigen::Count: break;
    }
    return bcma;
}

AntigenExpression& CloneSpec::expression(Antigen a) {
    return const_cast<AntigenExpression&>(static_cast<const CloneSpec&>(*this).expression(a));
}

std::vector<std::string> validate(const TumourParams& t) {
    std::vector<std::string> problems;
    if (t.clones.empty()) problems.push_back("clones: at least one clone is needed");
    double total = 0.0;
    std::set<std::string> names;
    for (const auto& c : t.clones) {
        total += c.fraction;
        if (!names.insert(c.name).second) problems.push_back("clones: duplicate clone name '" + c.name + "'");
        if (c.name.empty()) problems.push_back("clones: a clone needs a name");
        if (c.name.find('.') != std::string::npos)
            problems.push_back("clones[" + c.name + "].name: '.' is reserved for derived clones");
    }
    if (!t.clones.empty() && std::abs(total - 1.0) > 1e-6)
        problems.push_back("clones: fractions must add up to 1 (they add up to " + std::to_string(total) + ")");
    if (t.bcma_bin_min_molecules_per_cell >= t.bcma_bin_max_molecules_per_cell)
        problems.push_back("bcma_bin_min_molecules_per_cell: must be below bcma_bin_max_molecules_per_cell");
    if (t.initial_cells >= t.carrying_capacity_cells)
        problems.push_back("initial_cells: must be below carrying_capacity_cells");
    if (t.lethal_burden_cells <= t.initial_cells)
        problems.push_back("lethal_burden_cells: must be above initial_cells");
    return problems;
}

}  // namespace cartsim::tumour
