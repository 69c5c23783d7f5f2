#include "src/study/calibration_output.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace cartsim::study {
namespace fs = std::filesystem;

std::string fitted_yaml(const LoadedCalibration& c, const FitResult& result, double wall_seconds, const std::string& when) {
    const auto& params = c.spec.parameters;
    std::string text = fmt::format("# cartsim calibrate {} ({}): {}, {} evaluations ({} simulated now), {}\n", c.path, when,
                                   enum_name(c.spec.method.optimiser), result.evaluations, result.simulated, result.reason);
    text += fmt::format("calibration: {}\ndeviance: {:.10g}\nevaluations: {}\nwall_time_seconds: {:.1f}\nseeds: [", c.spec.name,
                        result.best.deviance, result.evaluations, wall_seconds);
    for (std::size_t i = 0; i < c.seeds.size(); ++i) text += fmt::format("{}{}", i ? ", " : "", c.seeds[i]);
    text += "]\nparameters:\n";
    const auto hits = parameters_at_bounds(c, result.values);
    for (std::size_t i = 0; i < params.size(); ++i) {
        const auto hit = std::find_if(hits.begin(), hits.end(), [&](const BoundHit& h) { return h.parameter == i; });
        text += fmt::format("  - {{file: {}, key: {}, start: {:.6g}, fitted: {:.6g}{}{}}}\n", params[i].file, params[i].key, c.start[i],
                            result.values[i], c.fixed[i] ? ", held: prior" : "",
                            hit == hits.end() ? "" : fmt::format(", at_bound: {} {:g}", hit->upper ? "high" : "low", hit->bound));
    }
    return text;
}

std::vector<fs::path> write_back_all(const LoadedCalibration& c, const std::vector<double>& values, const std::string& comment,
                                     const fs::path& folder) {
    const fs::path folder_of_spec = fs::absolute(c.path).parent_path();
    // A preset's place under `folder`: its path below the spec's folder, else below that folder's parent
    // (scenarios/calibration/x.yaml names ../products/p.yaml: products/p.yaml), else its file name.
    const auto place = [&](const fs::path& preset) {
        for (const fs::path& base : {folder_of_spec, folder_of_spec.parent_path()}) {
            const fs::path relative = preset.lexically_relative(base);
            if (!relative.empty() && *relative.begin() != "..") return relative;
        }
        return preset.filename();
    };
    std::map<fs::path, fs::path> target;  // preset -> the file written
    std::vector<fs::path> written;
    const auto destination = [&](const fs::path& preset) {
        if (folder.empty()) return preset;
        if (auto it = target.find(preset); it != target.end()) return it->second;
        const fs::path copy = folder / place(preset);
        fs::create_directories(copy.parent_path());
        fs::copy_file(preset, copy, fs::copy_options::overwrite_existing);
        target[preset] = copy;
        return copy;
    };
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::string ids;
        for (const auto& id : c.spec.parameters[i].informed_by) ids += (ids.empty() ? "" : ", ") + id;
        std::vector<fs::path> files{c.files[i]};
        files.insert(files.end(), c.copies[i].begin(), c.copies[i].end());
        for (const auto& preset : files) {
            const fs::path file = destination(preset);
            write_back(file, c.spec.parameters[i].key, values[i], comment + " to " + ids);
            if (std::find(written.begin(), written.end(), file) == written.end()) written.push_back(file);
        }
    }
    return written;
}

}  // namespace cartsim::study
