#include "model/tumour/clone_set.hpp"


namespace cartsim::tumour {
namespace {

std::vector<double> bcma_weights(const AntigenExpression& bcma, const DensityGrid& grid) {
    const double median = bcma.allele_median_molecules_per_cell();
    return grid.lognormal_weights(median, bcma.sigma_log);
}

std::string derived_name(const std::string& parent, Antigen antigen, int alleles_left) {
    const std::string label = antigen == Antigen::Bcma ? "bcma" : "gprc5d";
    return parent + "." + label + std::to_string(alleles_left);
}

/// Appends a copy of every clone (named with `suffix`, marked by `mark`) holding `share` of the clone's
/// cells at day 0, and a copy of every mutation route between the copies; returns the clone count
/// before (the offset of a clone's copy).
template <class Mark>
std::size_t copy_every_clone(CloneSet& set, const std::string& suffix, double share, Mark mark) {
    const std::size_t n = set.clones.size();
    for (std::size_t i = 0; i < n; ++i) {
        Clone copy = set.clones[i];
        copy.name += suffix;
        mark(copy);
        copy.initial_fraction *= share;
        if (copy.parent >= 0) copy.parent += static_cast<int>(n);
        set.clones[i].initial_fraction *= 1.0 - share;
        set.clones.push_back(std::move(copy));
    }
    const std::size_t routes = set.routes.size();
    for (std::size_t r = 0; r < routes; ++r) {
        MutationRoute copy = set.routes[r];
        copy.from += n;
        copy.to += n;
        set.routes.push_back(copy);
    }
    return n;
}

}  // namespace

CloneSet build_clone_set(const TumourParams& params, const DensityGrid& grid, const std::vector<Antigen>& losable) {
    CloneSet set;
    const std::vector<double> fractions = initial_fractions(params);
    for (std::size_t i = 0; i < params.clones.size(); ++i) {
        const CloneSpec& spec = params.clones[i];
        Clone clone;
        clone.name = spec.name;
        clone.growth_rate_per_day = spec.growth_rate_per_day.value_or(params.growth_rate_per_day);
        clone.initial_fraction = fractions[i];
        clone.expression = spec;
        clone.baseline_bcma_weights = bcma_weights(spec.bcma, grid);
        set.clones.push_back(std::move(clone));
    }

    // Breadth-first closure: each clone with an allele left can lose one more.
    for (std::size_t i = 0; i < set.clones.size(); ++i) {
        for (Antigen antigen : losable) {
            if (antigen != Antigen::Bcma && antigen != Antigen::Gprc5d) continue;
            const int alleles = set.clones[i].expression.expression(antigen).alleles;
            if (alleles == 0) continue;
            // BCMA loses one allele at a time; GPRC5D expression is lost in one step.
            const int left = antigen == Antigen::Bcma ? alleles - 1 : 0;
            const double per_allele =
                antigen == Antigen::Bcma ? params.bcma_loss_per_division : params.gprc5d_loss_per_division;
            const double per_division = antigen == Antigen::Bcma ? per_allele * alleles : per_allele;
            Clone child = set.clones[i];
            child.parent = static_cast<int>(i);
            child.lost_antigen = antigen;
            child.initial_fraction = 0.0;
            child.expression.expression(antigen).alleles = left;
            // Name by the root clone plus its losses in a fixed order, so two paths to the same
            // genotype (BCMA then GPRC5D, or the reverse) meet in one clone.
            std::size_t root_index = i;
            while (set.clones[root_index].parent >= 0)
                root_index = static_cast<std::size_t>(set.clones[root_index].parent);
            const CloneSpec& declared = set.clones[root_index].expression;
            const int bcma_left = child.expression.bcma.alleles;
            const int gprc_left = child.expression.gprc5d.alleles;
            std::string name = set.clones[root_index].name;
            if (bcma_left != declared.bcma.alleles) name = derived_name(name, Antigen::Bcma, bcma_left);
            if (gprc_left != declared.gprc5d.alleles) name = derived_name(name, Antigen::Gprc5d, gprc_left);
            child.name = name;
            child.baseline_bcma_weights = bcma_weights(child.expression.bcma, grid);

            std::size_t target = set.clones.size();
            for (std::size_t j = 0; j < set.clones.size(); ++j)
                if (set.clones[j].name == name) target = j;
            if (target == set.clones.size()) set.clones.push_back(std::move(child));
            set.routes.push_back(MutationRoute{i, target, antigen, per_division});
        }
    }
    const auto& fast = params.fast_subclone;
    if (fast.fraction > 0.0 || fast.per_division > 0.0) {
        const std::size_t n = copy_every_clone(set, ".fast", fast.fraction, [](Clone& c) { c.fast = true; });
        if (fast.per_division > 0.0)
            for (std::size_t i = 0; i < n; ++i) set.routes.push_back(MutationRoute{i, i + n, Antigen::Count, fast.per_division});
    }
    if (params.extramedullary.share > 0.0)
        copy_every_clone(set, ".em", params.extramedullary.share, [](Clone& c) { c.site = 1; });
    return set;
}

}  // namespace cartsim::tumour
