#pragma once
// The rows of patients.csv read back for the study summary: what the summary counts per patient,
// for the trial endpoints and for every line.

#include <istream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "src/study/patient_row.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::study {

using TimeToEvent = std::pair<double, bool>;  // [days], event (true) or censored

struct LineRow {
    bool started = false;
    std::string best_response, relapse_type;
    bool mrd = false;
    std::optional<TimeToEvent> pfs, dor;
    std::vector<std::string> antigen_status;                  // per RowLayout::antigens; empty when not targeted
    std::vector<std::optional<double>> antigen_median;        // [molecules/cell] at progression
};

struct Row {
    std::size_t group = 0;
    int patient = 0;
    std::string variant;
    bool ok = false;
    std::string best_response, relapse_type;
    bool mrd = false;
    bool extinct = false;  // no tumour cell left at the end (patients.csv column cure)
    std::optional<double> progression_day, mprotein;
    std::optional<double> cart_peak;  // [CAR+ cells/uL blood]; none without a CAR-T product
    TimeToEvent pfs{0.0, false}, os{0.0, false};
    std::optional<TimeToEvent> pfs2, ttnt;
    std::vector<LineRow> lines;  // RowLayout::lines of them
    std::vector<std::optional<double>> attribution;
};

/// Reads patients.csv (header first), sorted by group and patient. Throws std::runtime_error when the
/// header does not match the study or a row is malformed.
std::vector<Row> read_rows(const LoadedStudy& study, const RowLayout& layout, std::istream& in);

}  // namespace cartsim::study
