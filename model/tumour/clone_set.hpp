#pragma once
// The clones a patient's tumour can contain: the declared ones plus every clone reachable from them
// by antigen loss (BCMA two alleles -> one -> none; GPRC5D positive -> negative), with the routes.

#include <string>
#include <vector>

#include "model/tumour/density_grid.hpp"
#include "model/tumour/tumour_params.hpp"

namespace cartsim::tumour {

struct Clone {
    std::string name;
    int parent = -1;              // clone it arises from by mutation; -1 for declared clones
    Antigen lost_antigen = Antigen::Count;  // the loss that founded it (Count for declared clones)
    double growth_rate_per_day = 0.0;
    double initial_fraction = 0.0;
    CloneSpec expression;         // allele counts and densities (name and fraction unused)
    std::vector<double> baseline_bcma_weights;  // share of the clone's cells per density bin at baseline
    int site = 0;                 // 0: marrow; 1: the poorly reached site (name ends in ".em")
    bool fast = false;            // the faster-dividing copy (name ends in ".fast"; tumour.fast_subclone)
};

/// One allele lost at division: cells of `from` found `to`. A BCMA loss halves the density (or
/// empties it into the zero bin); a GPRC5D loss keeps the BCMA bin; a route to the faster copy
/// (antigen Count) keeps every antigen.
struct MutationRoute {
    std::size_t from = 0;
    std::size_t to = 0;
    Antigen antigen = Antigen::Bcma;
    double per_division = 0.0;
};

struct CloneSet {
    std::vector<Clone> clones;
    std::vector<MutationRoute> routes;
};

/// Builds the clone set; loss routes exist only for the antigens listed in `losable` (BCMA and/or
/// GPRC5D). An empty list (antigen loss switched off) keeps only the declared clones. With an
/// extramedullary share above 0, every clone has a copy in the second site ("<name>.em", holding that
/// share of its cells at day 0), and mutation routes stay within a site. With a fast subclone
/// (fraction or per_division above 0), every clone first gets a faster copy ("<name>.fast") holding
/// that fraction of its cells, fed by its divisions at per_division; antigen losses stay within a class.
CloneSet build_clone_set(const TumourParams& params, const DensityGrid& grid, const std::vector<Antigen>& losable);

}  // namespace cartsim::tumour
