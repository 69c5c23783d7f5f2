#include "model/tumour/tumour_params.hpp"

#include <algorithm>
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
    int open = 0;
    std::set<std::string> names;
    for (const auto& c : t.clones) {
        if (c.fraction)
            total += *c.fraction;
        else
            ++open;
        if (!names.insert(c.name).second) problems.push_back("clones: duplicate clone name '" + c.name + "'");
        if (c.name.empty()) problems.push_back("clones: a clone needs a name");
        if (c.name.find('.') != std::string::npos)
            problems.push_back("clones[" + c.name + "].name: '.' is reserved for derived clones");
    }
    if (open > 1) problems.push_back("clones: at most one clone may leave its fraction out (" + std::to_string(open) + " do)");
    if (!t.clones.empty() && open == 0 && std::abs(total - 1.0) > 1e-6)
        problems.push_back("clones: fractions must add up to 1 (they add up to " + std::to_string(total) + ")");
    if (open == 1 && total > 1.0 + 1e-6)
        problems.push_back("clones: the given fractions add up to " + std::to_string(total) +
                           ", leaving nothing for the clone without one");
    if (t.bcma_bin_min_molecules_per_cell >= t.bcma_bin_max_molecules_per_cell)
        problems.push_back("bcma_bin_min_molecules_per_cell: must be below bcma_bin_max_molecules_per_cell");
    if (t.initial_cells >= t.carrying_capacity_cells)
        problems.push_back("initial_cells: must be below carrying_capacity_cells");
    if (t.lethal_burden_cells <= t.initial_cells)
        problems.push_back("lethal_burden_cells: must be above initial_cells");
    return problems;
}

std::vector<double> initial_fractions(const TumourParams& t) {
    double given = 0.0;
    for (const auto& c : t.clones) given += c.fraction.value_or(0.0);
    std::vector<double> out;
    for (const auto& c : t.clones) out.push_back(c.fraction.value_or(std::max(0.0, 1.0 - given)));
    return out;
}

}  // namespace cartsim::tumour
