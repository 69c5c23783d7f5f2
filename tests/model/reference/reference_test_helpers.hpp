#pragma once
// Shared by the model/reference tests: a describe() visitor, the scenario file's parameter block, and
// a central-difference check of analytic Jacobians.

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "model/common/describe.hpp"

namespace cartsim::reference::testing {

/// Records every scalar field a describe() function visits.
struct FieldCollector {
    std::map<std::string, double> values;
    std::vector<FieldInfo> infos;
    int duplicates = 0;
    void field(std::string_view key, double& value, const FieldInfo& info) {
        if (!values.emplace(std::string(key), value).second) ++duplicates;
        infos.push_back(info);
    }
};

/// The `parameters:` block of a scenario file as key -> value (block style, one `key: value` a line).
inline std::map<std::string, double> scenario_parameters(const std::string& path) {
    std::ifstream in(path);
    std::map<std::string, double> out;
    std::string line;
    bool inside = false;
    while (std::getline(in, line)) {
        if (line.rfind("parameters:", 0) == 0) {
            inside = true;
            continue;
        }
        if (!inside) continue;
        if (line.empty() || line[0] != ' ') break;
        const auto colon = line.find(':');
        std::string key = line.substr(0, colon);
        key.erase(0, key.find_first_not_of(' '));
        std::istringstream value(line.substr(colon + 1));
        double number = NAN;
        value >> number;
        out[key] = number;
    }
    return out;
}

using RhsFunction = std::function<void(const std::vector<double>&, std::vector<double>&)>;

/// Largest difference between the analytic and a central-difference Jacobian, each entry weighted by
/// |x_j| and divided by the size of row i's terms, so rows with huge and tiny states compare alike.
inline double jacobian_mismatch(const RhsFunction& rhs, const std::vector<double>& analytic,
                                const std::vector<double>& x) {
    const std::size_t n = x.size();
    std::vector<double> f(n), plus(n), minus(n);
    rhs(x, f);
    std::vector<double> numeric(n * n);
    for (std::size_t j = 0; j < n; ++j) {
        const double h = 1e-6 * std::max(std::abs(x[j]), 1e-3);
        std::vector<double> xp = x, xm = x;
        xp[j] += h;
        xm[j] -= h;
        rhs(xp, plus);
        rhs(xm, minus);
        for (std::size_t i = 0; i < n; ++i) numeric[i * n + j] = (plus[i] - minus[i]) / (2.0 * h);
    }
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        double row_scale = std::abs(f[i]);
        for (std::size_t j = 0; j < n; ++j) row_scale += std::abs(analytic[i * n + j] * x[j]);
        if (row_scale == 0.0) row_scale = 1.0;
        for (std::size_t j = 0; j < n; ++j) {
            const double weight = std::max(std::abs(x[j]), 1e-3);
            worst = std::max(worst, std::abs(analytic[i * n + j] - numeric[i * n + j]) * weight / row_scale);
        }
    }
    return worst;
}

}  // namespace cartsim::reference::testing
