#include "model/drugs/therapy.hpp"

#include <charconv>
#include <cmath>
#include <set>

#include "model/tcells/cart_params.hpp"

namespace cartsim {

std::optional<drugs::LineStart> ScalarCodec<drugs::LineStart>::parse(std::string_view text) {
    if (text == "progression") return drugs::LineStart{true, 0.0};
    double day = 0.0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), day);
    if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(day) || day < 0.0)
        return std::nullopt;
    return drugs::LineStart{false, day};
}

std::string ScalarCodec<drugs::LineStart>::format(const drugs::LineStart& value) {
    if (value.at_progression) return "progression";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value.day);
    return std::string(buffer, ec == std::errc{} ? end : buffer);
}

}  // namespace cartsim

namespace cartsim::drugs {

ArmOccupancy arm_occupancy(const BispecificParams& p, double concentration_ug_per_ml, double soluble_target_nm) {
    ArmOccupancy a;
    const double c = concentration_ug_per_ml > 0.0 ? concentration_ug_per_ml : 0.0;
    const double drug_nm = c * 1000.0 / p.molecular_weight_kda;  // 1 ug/mL of an M kDa protein is 1000 / M nM
    const double s = soluble_target_nm > 0.0 ? soluble_target_nm : 0.0;
    if (drug_nm > 0.0 && s > 0.0) {
        const double b = drug_nm + s + p.soluble_target_kd_nm;
        const double complex = 2.0 * drug_nm * s / (b + std::sqrt(b * b - 4.0 * drug_nm * s));
        a.free_fraction = 1.0 - complex / drug_nm;
    }
    const double free = c * a.free_fraction;
    a.target = free / (free + p.ec50_ug_per_ml);
    a.cd3 = drug_nm / (drug_nm + p.cd3_kd_nm);
    return a;
}

std::vector<std::string> validate(const BispecificParams& p) {
    std::vector<std::string> problems;
    if (p.targets.empty()) problems.push_back("targets: a bispecific needs at least one target antigen");
    if (p.step_up_doses.size() != p.step_up_days.size())
        problems.push_back("step_up_days: must have as many entries as step_up_doses");
    for (std::size_t i = 1; i < p.step_up_days.size(); ++i)
        if (p.step_up_days[i] <= p.step_up_days[i - 1]) problems.push_back("step_up_days: must increase");
    if (!p.step_up_days.empty() && p.first_full_dose_day <= p.step_up_days.back())
        problems.push_back("first_full_dose_day: must come after the last step-up day");
    if (p.intercompartmental_clearance_l_per_day > 0.0 && p.peripheral_volume_l <= 0.0)
        problems.push_back("intercompartmental_clearance_l_per_day: needs a peripheral_volume_l above 0");
    return problems;
}

std::vector<std::string> validate(const Therapy& t) {
    std::vector<std::string> problems;
    const auto prefix = [&](std::vector<std::string> found) {
        for (auto& p : found) problems.push_back(p);
    };
    switch (t.kind) {
        case TherapyKind::Unset: problems.push_back("type: give a type or a product preset"); break;
        case TherapyKind::CarT: prefix(tcells::validate(t.cart)); break;
        case TherapyKind::Bispecific: prefix(validate(t.bispecific)); break;
        default:
            if (t.schedule.cycle_days && t.schedule.days_on > *t.schedule.cycle_days)
                problems.push_back("days_on: cannot exceed cycle_days");
            break;
    }
    return problems;
}

std::vector<std::string> validate(const std::vector<Line>& regimen) {
    std::vector<std::string> problems;
    std::set<std::string> line_names;
    for (std::size_t i = 0; i < regimen.size(); ++i) {
        const Line& line = regimen[i];
        const std::string where = "regimen[" + line.name + "]";
        if (!line_names.insert(line.name).second) problems.push_back(where + ": duplicate line name");
        if (i == 0 && line.start.at_progression)
            problems.push_back(where + ".start: the first line cannot start at progression; give a day");
        if (!line.start.at_progression && line.start_delay_days > 0.0)
            problems.push_back(where + ".start_delay_days: only a line that starts at progression can wait after it");
        if (i > 0 && !line.start.at_progression && !regimen[i - 1].start.at_progression &&
            line.start.day < regimen[i - 1].start.day)
            problems.push_back(where + ".start: lines must be in time order");
        std::set<std::string> names;
        for (const Therapy& t : line.therapies) {
            if (!names.insert(t.name).second)
                problems.push_back(where + ".therapies: duplicate therapy name '" + t.name + "'");
            for (const auto& p : validate(t)) problems.push_back(where + ".therapies[" + t.name + "]." + p);
        }
    }
    return problems;
}

}  // namespace cartsim::drugs
