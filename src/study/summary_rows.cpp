#include "src/study/summary_rows.hpp"

#include <algorithm>
#include <stdexcept>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "model/common/names.hpp"
#include "src/io/csv.hpp"

namespace cartsim::study {
namespace {

std::optional<double> optional_number(const std::string& text) {
    if (text.empty()) return std::nullopt;
    return std::stod(text);
}

std::optional<TimeToEvent> time_to_event(const std::string& days, const std::string& event) {
    if (days.empty()) return std::nullopt;
    return TimeToEvent{std::stod(days), event == "1"};
}

}  // namespace

std::vector<Row> read_rows(const LoadedStudy& study, const RowLayout& layout, std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("patients.csv is empty");
    const auto header = layout.header();
    if (io::split_csv_line(line) != header) throw std::runtime_error("patients.csv: the header does not match the study");
    std::unordered_map<std::string, std::size_t> column, group;
    for (std::size_t i = 0; i < header.size(); ++i) column[header[i]] = i;
    for (std::size_t g = 0; g < study.groups.size(); ++g) group[study.groups[g].name] = g;
    const bool sweep = layout.kind == StudyKind::Sweep;
    std::vector<Row> rows;
    // One row per patient of every group: reserved, so 100,000 rows are not copied while the vector
    // doubles (a peak of 1.5 times its size).
    rows.reserve(study.groups.size() * static_cast<std::size_t>(std::max(1, study.patients)));
    long number = 1;
    while (std::getline(in, line)) {
        ++number;
        if (line.empty()) continue;
        const auto cells = io::split_csv_line(line);
        if (cells.size() != header.size())
            throw std::runtime_error(fmt::format("patients.csv line {}: {} cells, expected {}", number, cells.size(), header.size()));
        const auto at = [&](const std::string& name) -> const std::string& { return cells[column.at(name)]; };
        Row r;
        const auto g = group.find(at(sweep ? "point" : "arm"));
        if (g == group.end()) throw std::runtime_error(fmt::format("patients.csv line {}: unknown group", number));
        r.group = g->second;
        r.patient = std::stoi(at("patient"));
        if (layout.variants) r.variant = at("variant");
        r.ok = at("error").empty();
        if (r.ok) {
            r.best_response = at("best_response");
            r.relapse_type = at("relapse_type");
            r.mrd = at("mrd_negative") == "true";
            r.extinct = at("cure") == "true";
            r.progression_day = optional_number(at("progression_day"));
            r.mprotein = optional_number(at("best_mprotein_change_percent"));
            const auto peak = optional_number(at("cart_peak_blood_cells_per_ul"));
            if (peak && *peak > 0.0) r.cart_peak = peak;
            r.pfs = *time_to_event(at("pfs_days"), at("pfs_event"));
            r.os = *time_to_event(at("os_days"), at("os_event"));
            r.pfs2 = time_to_event(at("pfs2_days"), at("pfs2_event"));
            r.ttnt = time_to_event(at("ttnt_days"), at("ttnt_event"));
            for (int k = 1; k <= layout.lines; ++k) {
                const std::string l = "line" + std::to_string(k) + "_";
                LineRow lr;
                lr.started = !at(l + "start_day").empty();
                lr.best_response = at(l + "best_response");
                lr.relapse_type = at(l + "relapse_type");
                lr.mrd = at(l + "mrd_negative") == "true";
                lr.pfs = time_to_event(at(l + "pfs_days"), at(l + "pfs_event"));
                lr.dor = time_to_event(at(l + "dor_days"), at(l + "dor_event"));
                for (Antigen a : layout.antigens) {
                    const std::string p = l + "prog_" + column_safe(enum_name(a));
                    lr.antigen_status.push_back(at(p + "_status"));
                    lr.antigen_median.push_back(optional_number(at(p + "_median_molecules_per_cell")));
                }
                r.lines.push_back(std::move(lr));
            }
            for (const auto& m : layout.attribution) r.attribution.push_back(optional_number(at("attribution_" + m + "_days")));
        }
        rows.push_back(std::move(r));
    }
    std::sort(rows.begin(), rows.end(),
              [](const Row& a, const Row& b) { return std::tie(a.group, a.patient) < std::tie(b.group, b.patient); });
    return rows;
}

}  // namespace cartsim::study
