// `cartsim report FOLDER [-o FILE]`: one self-contained HTML page for a run, replicate run, study or
// validation folder. Nothing is fetched when it is opened: the data (the folder's CSV and JSON),
// Chart.js (Debian's libjs-chart.js) and the page's script and style (plots/report/) are inlined
// (html_page.hpp).

#include <filesystem>
#include <iostream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "src/cli/app.hpp"
#include "src/cli/commands.hpp"
#include "src/cli/html_page.hpp"
#include "src/cli/study_folder.hpp"
#include "src/cli/version.hpp"
#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"
#include "src/io/read_file.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;

namespace {

/// The columns of patients.csv the page draws (a study can have a hundred; the page needs these).
const std::set<std::string>& patient_columns() {
    static const std::set<std::string> keep{
        "patient", "arm", "point", "variant", "outcome", "best_response", "mrd_negative", "progression_day",
        "relapse_type", "death_day", "death_cause", "cure", "best_mprotein_change_percent",
        "cart_peak_blood_cells_per_ul", "crs_grade", "pfs_days", "pfs_event", "os_days", "os_event",
        "line1_name", "line2_name", "line2_start_day", "error"};
    return keep;
}

/// `text` (a CSV file) with only the columns in `keep`, in their order.
std::string select_columns(const std::string& text, const std::set<std::string>& keep) {
    std::istringstream in(text);
    std::string line, out;
    std::vector<std::size_t> chosen;
    bool header = true;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        const auto cells = io::split_csv_line(line);
        if (header) {
            for (std::size_t i = 0; i < cells.size(); ++i)
                if (keep.count(cells[i])) chosen.push_back(i);
            header = false;
        }
        for (std::size_t k = 0; k < chosen.size(); ++k) {
            if (k) out += ',';
            if (chosen[k] < cells.size()) out += io::csv_cell(cells[chosen[k]]);
        }
        out += '\n';
    }
    return out;
}

}  // namespace

int command_report(const std::string& folder, const std::string& output_file) {
    const fs::path dir(folder);
    nlohmann::json data;
    std::string kind;
    const auto has = [&](const char* name) { return fs::is_regular_file(dir / name); };
    if (has("validation.csv")) kind = "validation";
    else if (has("patients.csv")) kind = "study";
    else if (has("replicates.csv")) kind = "replicates";
    else if (has("timeseries.csv")) kind = "run";
    if (kind.empty()) {
        std::cerr << "cartsim: " << folder << " holds no validation.csv, patients.csv, replicates.csv or timeseries.csv "
                  << "(write it with cartsim run or cartsim validate first)\n";
        return kExitBadInput;
    }
    if (const std::string status = study_status(folder); !status.empty() && status != "finished") {
        std::cerr << "cartsim: " << folder << "/manifest.json says the study there is " << status
                  << ", not finished: finish it with `cartsim run ... -o " << folder << " --resume`\n";
        return kExitBadInput;
    }
    data["kind"] = kind;
    data["folder"] = fs::absolute(dir).lexically_normal().string();
    data["cartsim"] = std::string(version()) + " (" + git_commit() + ")";
    nlohmann::json files = nlohmann::json::object();
    for (const char* name : {"timeseries.csv", "km.csv", "sweep.csv", "replicates.csv", "validation.csv", "patients.csv"}) {
        auto text = io::read_file(dir / name);
        if (!text) continue;
        files[name] = std::string(name) == "patients.csv" ? select_columns(*text, patient_columns()) : *text;
    }
    data["files"] = files;
    for (const char* name : {"summary.json", "manifest.json"}) {
        const auto text = io::read_file(dir / name);
        if (!text) continue;
        auto parsed = nlohmann::json::parse(*text, nullptr, false);
        if (parsed.is_discarded()) {
            std::cerr << "cartsim: " << (dir / name).string() << " is not valid JSON\n";
            return kExitBadInput;
        }
        if (std::string(name) == "manifest.json") {  // the page shows what produced the files, not the whole scenario
            nlohmann::json keep;
            for (const char* key : {"cartsim_version", "git_commit", "scenario_file", "overrides", "started_at",
                                    "wall_time_seconds", "seed", "status"})
                if (parsed.contains(key)) keep[key] = parsed[key];
            parsed = keep;
        }
        data[std::string(name).substr(0, std::string(name).find('.'))] = std::move(parsed);
    }

    std::string error;
    const auto html = html_page("report", "cartsim " + kind + ": " + dir.filename().string(),
                                "<main id=\"report\"></main>\n<script type=\"application/json\" id=\"cartsim-data\">" +
                                    script_safe(data.dump()) + "</script>",
                                error);
    if (!html) {
        std::cerr << "cartsim: " << error << "\n";
        return kExitRunFailed;
    }
    const fs::path out = output_file.empty() ? dir / "report.html" : fs::path(output_file);
    try {
        io::write_file_atomic(out, *html);
    } catch (const io::IoError& e) {
        std::cerr << "cartsim: " << e.what() << "\n";
        return kExitRunFailed;
    }
    std::cout << "cartsim: wrote " << out.string() << " (" << html->size() / 1024 << " kB, self-contained)\n";
    return kExitOk;
}

}  // namespace cartsim::cli
