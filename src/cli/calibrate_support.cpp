#include "src/cli/calibrate_support.hpp"

#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "src/io/atomic_file.hpp"
#include "src/io/csv.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;

std::optional<study::ParameterUncertainty> run_uncertainty(const study::LoadedCalibration& cal, const study::FitResult& fit,
                                                           const study::FitOptions& options, const fs::path& out, int points,
                                                           bool talk) {
    const auto& params = cal.spec.parameters;
    const auto design = study::surface_design(cal, fit.values, points, cal.spec.method.surface_step, 1);
    std::map<std::vector<double>, double> known;
    if (std::ifstream in(out / "surface.csv"); in) known = study::read_history(in, params.size());
    known[fit.values] = fit.best.deviance;
    std::string table = "point";
    for (const auto& p : params) table += "," + fs::path(p.file).stem().string() + ":" + p.key;
    table += ",deviance\n";
    std::ofstream surface(out / "surface.csv", std::ios::trunc);
    surface << table << std::flush;
    std::vector<double> deviances;
    if (talk) std::cout << fmt::format("cartsim: uncertainty: {} design points within +-{} of each range\n", design.size(),
                                       cal.spec.method.surface_step);
    for (std::size_t i = 0; i < design.size(); ++i) {
        double d = 0.0;
        if (auto hit = known.find(design[i]); hit != known.end()) {
            d = hit->second;
        } else {
            d = study::evaluate_calibration(cal, design[i], options.evaluation).deviance;
            if (talk) std::cout << fmt::format("  design point {:>4}/{}: deviance {:9.4g}\n", i + 1, design.size(), d) << std::flush;
        }
        deviances.push_back(d);
        std::string line = std::to_string(i);
        for (double v : design[i]) line += fmt::format(",{:.17g}", v);
        surface << line << fmt::format(",{:.17g}\n", d) << std::flush;
    }
    study::ParameterUncertainty u;
    try {
        u = study::analyse_uncertainty(cal, fit.values, design, deviances);
    } catch (const std::invalid_argument& e) {
        std::cerr << "cartsim: no uncertainty: " << e.what() << " (give --uncertainty at least 1 + k + k(k+1)/2 points)\n";
        return std::nullopt;
    }
    io::write_file_atomic(out / "uncertainty.csv", study::uncertainty_csv(cal, u));
    io::write_file_atomic(out / "directions.csv", study::directions_csv(cal, u));
    io::write_file_atomic(out / "uncertainty.yaml",
                          study::uncertainty_yaml(cal, u, fs::relative(fs::absolute(cal.path), fs::absolute(out)).string()));
    if (talk) {
        std::cout << fmt::format("  surface: R^2 {:.3f}, residual sd {:.3g} (deviance units)\n", u.surface.r_squared,
                                 u.surface.residual_sd);
        std::ifstream table_in(out / "uncertainty.csv");
        std::string line;
        std::getline(table_in, line);  // header
        std::cout << fmt::format("  {:<70} {:>11} {:>25}  {}\n", "parameter", "fitted", "95% interval", "identified");
        while (std::getline(table_in, line)) {
            const auto cells = io::split_csv_line(line);
            if (cells.size() < 6) continue;
            std::cout << fmt::format("  {:<70} {:>11.4g} {:>25}  {}\n", cells[0], std::stod(cells[1]),
                                     fmt::format("[{:.4g}, {:.4g}]", std::stod(cells[3]), std::stod(cells[4])), cells[5]);
        }
        for (const auto& dir : u.curvature.directions) {
            if (dir.identified) continue;
            std::string combination;
            for (Eigen::Index j = 0; j < dir.vector.size(); ++j)
                if (std::abs(dir.vector(j)) > 0.3)
                    combination += fmt::format("{}{:+.2f} {}:{}", combination.empty() ? "" : " ", dir.vector(j),
                                               fs::path(params[u.free[static_cast<std::size_t>(j)]].file).stem().string(),
                                               params[u.free[static_cast<std::size_t>(j)]].key);
            std::cout << "  not identified: " << combination << " (flat over half the range)\n";
        }
        std::cout << fmt::format("  results: {0}/uncertainty.csv, {0}/directions.csv, {0}/uncertainty.yaml\n", out.string());
    }
    return u;
}

}  // namespace cartsim::cli
