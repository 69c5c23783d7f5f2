#include <doctest/doctest.h>

#include "model/endpoints/relapse.hpp"
#include "model/endpoints/response.hpp"

using namespace cartsim::endpoints;

namespace {
Assessment at(double day, double mprotein, double pc_percent = 20.0, double fraction = 0.2) {
    return Assessment{day, mprotein, pc_percent, fraction};
}
}  // namespace

TEST_CASE("response: IMWG-like categories from the M-protein reduction") {
    const ResponseCriteria c;
    ResponseTracker t(c, 0.01, 3.0);
    CHECK(t.assess(at(28, 2.5)).response == Response::Stable);   // -17%
    CHECK(t.assess(at(56, 2.0)).response == Response::Minimal);  // -33%
    CHECK(t.assess(at(84, 1.4)).response == Response::Partial);  // -53%
    CHECK(t.assess(at(112, 0.2)).response == Response::VeryGoodPartial);
    // Undetectable but too many plasma cells in marrow: VGPR, not CR.
    CHECK(t.assess(at(140, 0.005, 8.0, 0.08)).response == Response::VeryGoodPartial);
    const auto cr = t.assess(at(168, 0.005, 2.0, 0.02));
    CHECK(cr.response == Response::Complete);
    CHECK_FALSE(cr.mrd_negative);
    const auto scr = t.assess(at(196, 0.001, 0.001, 1e-6));
    CHECK(scr.response == Response::StringentComplete);
    CHECK(scr.mrd_negative);
    CHECK(t.best_response() == Response::StringentComplete);
    CHECK(t.ever_mrd_negative());
}

TEST_CASE("response: progression needs +25% from nadir and +0.5 g/dL") {
    ResponseTracker t(ResponseCriteria{}, 0.01, 3.0);
    t.assess(at(28, 1.0));
    CHECK_FALSE(t.assess(at(56, 1.2)).progression);  // +20%
    CHECK_FALSE(t.assess(at(84, 1.4)).progression);  // +40% but only +0.4 g/dL
    const auto r = t.assess(at(112, 1.6));           // +60%, +0.6 g/dL
    CHECK(r.progression);
    CHECK(r.response == Response::Progressive);
    CHECK(t.best_response() == Response::Partial);  // best before progression
    CHECK(t.progressed());
}

TEST_CASE("response: reappearance after CR is a relapse from CR, not progression, by default (IMWG)") {
    ResponseTracker t(ResponseCriteria{}, 0.01, 3.0);
    CHECK(t.assess(at(28, 0.005, 1.0, 0.01)).response == Response::Complete);
    CHECK_FALSE(t.assess(at(56, 0.02, 1.0, 0.01)).relapse_from_cr);  // once is not enough
    const auto second = t.assess(at(84, 0.03, 1.0, 0.01));
    CHECK(second.relapse_from_cr);
    CHECK_FALSE(second.progression);
    CHECK(t.relapsed_from_cr());
    CHECK_FALSE(t.assess(at(112, 0.04, 1.0, 0.01)).relapse_from_cr);  // reported once
    // IMWG progressive disease from CR: +25% from the nadir (0.005) and at least +0.5 g/dL.
    CHECK_FALSE(t.assess(at(140, 0.45, 1.0, 0.01)).progression);
    CHECK(t.assess(at(168, 0.6, 1.0, 0.01)).progression);
}

TEST_CASE("response: with progression_on_reappearance a relapse from CR is progression (the older rule)") {
    ResponseCriteria on;
    on.progression_on_reappearance = true;
    ResponseTracker u(on, 0.01, 3.0);
    u.assess(at(28, 0.005, 1.0, 0.01));
    CHECK_FALSE(u.assess(at(56, 0.02, 1.0, 0.01)).progression);
    const auto r = u.assess(at(84, 0.03, 1.0, 0.01));
    CHECK(r.progression);
    CHECK(r.relapse_from_cr);
}

TEST_CASE("response: primary refractory disease is PD at the first assessment") {
    ResponseTracker t(ResponseCriteria{}, 0.01, 2.0);
    CHECK(t.assess(at(28, 3.0)).progression);
    CHECK(t.best_response() == Response::Progressive);
}

TEST_CASE("crs grade: thresholds map peak inflammation to grades 0-4") {
    const std::vector<double> thresholds{0.3, 1.5, 5.0, 15.0};
    CHECK(crs_grade(0.1, thresholds) == 0);
    CHECK(crs_grade(0.3, thresholds) == 1);
    CHECK(crs_grade(4.9, thresholds) == 2);
    CHECK(crs_grade(100.0, thresholds) == 4);
}

TEST_CASE("relapse type: rules apply in their documented order") {
    const RelapseRules rules;
    RelapseEvidence e;
    CHECK(classify_relapse(e, rules) == RelapseType::Untargeted);
    e.line_targets_antigen = true;
    CHECK(classify_relapse(e, rules) == RelapseType::AntigenPositive);
    e.suppression = 0.4;
    CHECK(classify_relapse(e, rules) == RelapseType::Microenvironment);
    e.exhausted_fraction = 0.6;
    CHECK(classify_relapse(e, rules) == RelapseType::Exhaustion);
    e.effector_ratio = 0.001;
    CHECK(classify_relapse(e, rules) == RelapseType::EffectorLoss);
    e.share_poorly_reached = 0.6;  // most of the tumour in the site T cells reach poorly
    CHECK(classify_relapse(e, rules) == RelapseType::Sanctuary);
    e.density_ratio = 0.3;
    CHECK(classify_relapse(e, rules) == RelapseType::AntigenLow);
    e.share_below_floor = 0.8;  // most cells below the floor, but they still express the antigen
    CHECK(classify_relapse(e, rules) == RelapseType::AntigenLow);
    e.share_lost = 0.3;  // fewer than half of the escaped cells have lost the gene
    CHECK(classify_relapse(e, rules) == RelapseType::AntigenLow);
    e.share_lost = 0.4;  // half of them: a loss relapse
    CHECK(classify_relapse(e, rules) == RelapseType::AntigenNegative);
    e.share_below_floor = 0.45;  // too few below the floor: the density rule decides
    CHECK(classify_relapse(e, rules) == RelapseType::AntigenLow);
    e.density_ratio = 1.0;
    CHECK(classify_relapse(e, rules) == RelapseType::Sanctuary);
    e.share_poorly_reached = 0.4;
    CHECK(classify_relapse(e, rules) == RelapseType::EffectorLoss);
}

TEST_CASE("response: complete response needs the second tumour site below imaging detection") {
    // M-protein gone and marrow clear, but 1e9 cells in a plasmacytoma: VGPR, not CR (IMWG asks soft-tissue
    // plasmacytomas to disappear), and so not MRD-negative; below the 1e8-cell imaging limit, CR.
    const ResponseCriteria c;
    ResponseTracker visible(c, 0.01, 3.0, 1e10), gone(c, 0.01, 3.0, 1e10);
    Assessment a = at(56, 0.005, 0.001, 1e-7);
    a.extramedullary_cells = 1e9;
    const auto r = visible.assess(a);
    CHECK(r.response == Response::VeryGoodPartial);
    CHECK_FALSE(r.mrd_negative);
    a.extramedullary_cells = 1e7;
    const auto s = gone.assess(a);
    CHECK(s.response == Response::StringentComplete);
    CHECK(s.mrd_negative);
}

TEST_CASE("response: a plasmacytoma visible at baseline must shrink by IMWG size for MR, PR and VGPR") {
    // Size (sum of products of diameters) goes as cells^(2/3): 50% smaller at 0.5^1.5 = 0.354 of the cells,
    // 25% smaller at 0.75^1.5 = 0.650.
    const ResponseCriteria c;
    const double base = 1e10;
    auto best_with_site = [&](double site_cells) {
        ResponseTracker t(c, 0.01, 3.0, base);
        Assessment a = at(28, 0.2);  // M-protein down 93%: VGPR by M-protein alone
        a.extramedullary_cells = site_cells;
        return t.assess(a).response;
    };
    CHECK(best_with_site(0.34 * base) == Response::VeryGoodPartial);
    CHECK(best_with_site(0.37 * base) == Response::Minimal);
    CHECK(best_with_site(0.63 * base) == Response::Minimal);
    CHECK(best_with_site(0.67 * base) == Response::Stable);
    CHECK(best_with_site(1.0 * base) == Response::Stable);
    // A site below imaging at baseline is not measurable: the M-protein alone decides.
    ResponseTracker hidden(c, 0.01, 3.0, 5e7);
    Assessment a = at(28, 0.2);
    a.extramedullary_cells = 9e7;
    CHECK(hidden.assess(a).response == Response::VeryGoodPartial);
}

TEST_CASE("response: a visible plasmacytoma growing 50% in size from its nadir is progression") {
    // 1.5^1.5 = 1.837 times the nadir's cells; the nadir below imaging counts as the imaging limit.
    const ResponseCriteria c;
    ResponseTracker t(c, 0.01, 3.0, 1e10);
    Assessment a = at(28, 1.0);
    a.extramedullary_cells = 2e9;  // the nadir
    CHECK_FALSE(t.assess(a).progression);
    a = at(56, 1.0);
    a.extramedullary_cells = 1.80 * 2e9;
    CHECK_FALSE(t.assess(a).progression);
    a = at(84, 1.0);
    a.extramedullary_cells = 1.86 * 2e9;
    CHECK(t.assess(a).progression);
    // Gone below imaging, then back above 1.84 times the imaging limit: progression (a lesion reappears).
    ResponseTracker u(c, 0.01, 3.0, 1e10);
    a = at(28, 1.0);
    a.extramedullary_cells = 1e6;
    CHECK_FALSE(u.assess(a).progression);
    a = at(56, 1.0);
    a.extramedullary_cells = 1.5e8;
    CHECK_FALSE(u.assess(a).progression);
    a = at(84, 1.0);
    a.extramedullary_cells = 1.9e8;
    CHECK(u.assess(a).progression);
}
