#include "model/tcells/cart_params.hpp"

#include <set>

namespace cartsim::tcells {

std::vector<std::string> validate(const CarTParams& p) {
    std::vector<std::string> problems;
    if (p.targets.empty()) problems.push_back("targets: a CAR-T product needs at least one target antigen");
    std::set<Antigen> seen(p.targets.begin(), p.targets.end());
    if (seen.size() != p.targets.size()) problems.push_back("targets: an antigen is listed twice");
    return problems;
}

}  // namespace cartsim::tcells
