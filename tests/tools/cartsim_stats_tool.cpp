// cartsim-stats-tool: runs the survival statistics of src/stats on a CSV read from stdin and prints JSON, so that
// independent references (tests/reference/test_stats_*.py) can compare them with statsmodels and R survival.
//
//   cartsim-stats-tool km [--times t1,t2,...] < data.csv   Kaplan-Meier table, median, number at risk at the times
//   cartsim-stats-tool logrank < data.csv                  log-rank test over the groups
//   cartsim-stats-tool cox [--ties efron|breslow] < data.csv  Cox fit on every column after `group`, and the
//                                                          proportional-hazards test of the fit (key "ph_test")
//   cartsim-stats-tool rmst --tau DAYS [--group G --reference R] < data.csv
//                                                          restricted mean survival time up to DAYS, pooled and per
//                                                          group, and G minus R (default: highest minus lowest label)
//
// The CSV has a header; columns: time_days, event (0/1), group (integer), then any covariates.

#include <cmath>
#include <iostream>
#include <limits>
#include <optional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/stats/survival.hpp"

namespace {

using cartsim::stats::SurvivalData;
using nlohmann::json;

struct Table {
    SurvivalData data;
    Eigen::MatrixXd covariates;
};

std::vector<std::string> split(const std::string& line, char separator) {
    std::vector<std::string> fields;
    std::stringstream stream(line);
    for (std::string field; std::getline(stream, field, separator);) fields.push_back(field);
    return fields;
}

Table read_csv(std::istream& in) {
    std::string line;
    if (!std::getline(in, line)) throw std::runtime_error("empty input: expected a CSV header");
    const auto columns = static_cast<Eigen::Index>(split(line, ',').size());
    if (columns < 3) throw std::runtime_error("the CSV needs time_days, event and group columns");
    std::vector<std::vector<double>> rows;
    while (std::getline(in, line)) {
        if (line.empty()) continue;
        std::vector<double> row;
        for (const auto& field : split(line, ',')) row.push_back(std::stod(field));
        if (static_cast<Eigen::Index>(row.size()) != columns) throw std::runtime_error("ragged CSV row: " + line);
        rows.push_back(row);
    }
    Table table;
    table.covariates.resize(static_cast<Eigen::Index>(rows.size()), columns - 3);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        table.data.push_back({rows[i][0], rows[i][1] != 0.0, static_cast<int>(rows[i][2])});
        for (Eigen::Index j = 0; j + 3 < columns; ++j)
            table.covariates(static_cast<Eigen::Index>(i), j) = rows[i][static_cast<std::size_t>(j + 3)];
    }
    return table;
}

json optional_number(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json vector_json(const Eigen::VectorXd& v) { return json(std::vector<double>(v.begin(), v.end())); }

json kaplan_meier_json(const SurvivalData& data, const std::vector<double>& times) {
    const auto km = cartsim::stats::kaplan_meier(data);
    json rows = {{"time_days", json::array()}, {"at_risk", json::array()},  {"events", json::array()},
                 {"censored", json::array()},  {"survival", json::array()}, {"std_error", json::array()},
                 {"ci_low", json::array()},    {"ci_high", json::array()}};
    for (const auto& row : km.rows) {
        rows["time_days"].push_back(row.time_days);
        rows["at_risk"].push_back(row.at_risk);
        rows["events"].push_back(row.events);
        rows["censored"].push_back(row.censored);
        rows["survival"].push_back(row.survival);
        rows["std_error"].push_back(row.std_error);  // NaN prints as null
        rows["ci_low"].push_back(row.ci_low);
        rows["ci_high"].push_back(row.ci_high);
    }
    const auto median = cartsim::stats::median_survival(km);
    return {{"subjects", km.subjects},
            {"censored_before_first_event", km.censored_before_first_event},
            {"rows", rows},
            {"median_days", optional_number(median.median_days)},
            {"median_ci_low_days", optional_number(median.ci_low_days)},
            {"median_ci_high_days", optional_number(median.ci_high_days)},
            {"number_at_risk", cartsim::stats::number_at_risk(data, times)}};
}

json log_rank_json(const SurvivalData& data) {
    const auto r = cartsim::stats::log_rank(data);
    return {{"groups", r.groups},
            {"observed", r.observed},
            {"expected", r.expected},
            {"statistic", r.statistic},
            {"degrees_of_freedom", r.degrees_of_freedom},
            {"p_value", r.p_value}};
}

json ph_test_json(const Table& table, const cartsim::stats::CoxFit& fit, cartsim::stats::CoxTies ties) {
    if (!fit.converged()) return nullptr;
    const auto test = cartsim::stats::proportional_hazards_test(table.data, table.covariates, fit, ties);
    return {{"statistics", vector_json(test.statistics)},  // NaN prints as null
            {"p_values", vector_json(test.p_values)},
            {"global_statistic", test.global_statistic},
            {"global_degrees_of_freedom", test.global_degrees_of_freedom},
            {"global_p_value", test.global_p_value}};
}

json cox_json(const Table& table, cartsim::stats::CoxTies ties) {
    const auto fit = cartsim::stats::cox_fit(table.data, table.covariates, {.ties = ties});
    return {{"converged", fit.converged()},
            {"message", fit.message},
            {"coefficients", vector_json(fit.coefficients)},
            {"std_errors", vector_json(fit.std_errors)},
            {"hazard_ratios", vector_json(fit.hazard_ratios)},
            {"ci_low", vector_json(fit.ci_low)},
            {"ci_high", vector_json(fit.ci_high)},
            {"p_values", vector_json(fit.p_values)},
            {"log_likelihood", fit.log_likelihood},
            {"null_log_likelihood", fit.null_log_likelihood},
            {"iterations", fit.iterations},
            {"ph_test", ph_test_json(table, fit, ties)}};
}

json restricted_mean_json(const cartsim::stats::RestrictedMean& r) {
    return {{"rmst_days", r.rmst_days}, {"std_error_days", r.std_error_days}};
}

json rmst_json(const SurvivalData& data, double horizon_days, std::optional<int> group, std::optional<int> reference) {
    const auto labels = cartsim::stats::group_labels(data);
    json groups = json::array();
    for (int label : labels) {
        json entry = restricted_mean_json(
            cartsim::stats::restricted_mean(cartsim::stats::select_group(data, label), horizon_days));
        entry["group"] = label;
        groups.push_back(entry);
    }
    json out = {{"horizon_days", horizon_days},
                {"pooled", restricted_mean_json(cartsim::stats::restricted_mean(data, horizon_days))},
                {"groups", groups},
                {"difference", nullptr}};
    if (labels.size() >= 2) {
        const auto d = cartsim::stats::restricted_mean_difference(data, group.value_or(labels.back()),
                                                                  reference.value_or(labels.front()), horizon_days);
        out["difference"] = {{"group", d.group},
                             {"reference_group", d.reference_group},
                             {"difference_days", d.difference_days},
                             {"std_error_days", d.std_error_days},
                             {"ci_low_days", d.ci_low_days},
                             {"ci_high_days", d.ci_high_days},
                             {"p_value", d.p_value}};
    }
    return out;
}

std::optional<std::string> option(int argc, char** argv, const std::string& name) {
    for (int i = 2; i + 1 < argc; ++i)
        if (argv[i] == name) return std::string(argv[i + 1]);
    return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc < 2) throw std::runtime_error("usage: cartsim-stats-tool km|logrank|cox|rmst [options] < data.csv");
        const std::string command = argv[1];
        const Table table = read_csv(std::cin);
        json out;
        if (command == "km") {
            std::vector<double> times;
            if (const auto list = option(argc, argv, "--times"))
                for (const auto& field : split(*list, ',')) times.push_back(std::stod(field));
            out = kaplan_meier_json(table.data, times);
        } else if (command == "logrank") {
            out = log_rank_json(table.data);
        } else if (command == "cox") {
            const std::string ties = option(argc, argv, "--ties").value_or("efron");
            if (ties != "efron" && ties != "breslow") throw std::runtime_error("--ties must be efron or breslow");
            out = cox_json(table, ties == "efron" ? cartsim::stats::CoxTies::Efron : cartsim::stats::CoxTies::Breslow);
        } else if (command == "rmst") {
            const auto tau = option(argc, argv, "--tau");
            if (!tau) throw std::runtime_error("rmst needs --tau DAYS");
            const auto integer = [&](const char* name) -> std::optional<int> {
                if (const auto value = option(argc, argv, name)) return std::stoi(*value);
                return std::nullopt;
            };
            out = rmst_json(table.data, std::stod(*tau), integer("--group"), integer("--reference"));
        } else {
            throw std::runtime_error("unknown command '" + command + "': expected km, logrank, cox or rmst");
        }
        std::cout << out.dump() << '\n';
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "cartsim-stats-tool: " << error.what() << '\n';
        return 1;
    }
}
