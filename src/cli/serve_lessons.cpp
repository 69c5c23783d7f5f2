#include "src/cli/serve_lessons.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "src/cli/run_support.hpp"
#include "src/config/override.hpp"
#include "src/config/scalar.hpp"
#include "src/study/study_loader.hpp"

namespace cartsim::cli {
namespace fs = std::filesystem;

namespace {

bool is_study(const fs::path& file) {
    CommonOptions options;
    options.scenario = file.string();
    return study_requested(options);  // a file that does not load is not a study: the loader then says why
}

double number_at(const config::Node& root, const std::string& path) {
    const config::Node* node = config::find_at(root, path);
    if (!node || !node->is_scalar()) return std::numeric_limits<double>::quiet_NaN();
    return config::parse_number(node->text).value_or(std::numeric_limits<double>::quiet_NaN());
}

nlohmann::json error_body(const std::string& message) { return nlohmann::json{{"error", message}}; }

/// The plotted columns of one arm's run, thinned to at most `max_points` rows (the last row kept).
nlohmann::json series_json(const simulate::Table& table, const std::vector<std::string>& plot, std::size_t max_points) {
    nlohmann::json series = nlohmann::json::object();
    const std::size_t rows = table.rows.size();
    const std::size_t stride = std::max<std::size_t>(1, (rows + max_points - 1) / std::max<std::size_t>(1, max_points));
    std::vector<std::size_t> chosen;
    for (std::size_t r = 0; r < rows; r += stride) chosen.push_back(r);
    if (rows && chosen.back() != rows - 1) chosen.push_back(rows - 1);
    std::vector<std::string> columns{"time_day"};
    columns.insert(columns.end(), plot.begin(), plot.end());
    for (const auto& name : columns) {
        const auto it = std::find(table.columns.begin(), table.columns.end(), name);
        if (it == table.columns.end()) continue;  // the page says which column is missing
        const auto c = static_cast<std::size_t>(it - table.columns.begin());
        nlohmann::json values = nlohmann::json::array();
        for (std::size_t r : chosen) values.push_back(std::isfinite(table.rows[r][c]) ? nlohmann::json(table.rows[r][c]) : nlohmann::json());
        series[name] = std::move(values);
    }
    return series;
}

nlohmann::json arm_json(const std::string& name, const SingleRun& run, const std::vector<std::string>& plot,
                        const ServeLimits& limits) {
    nlohmann::json summary;
    for (const char* key : {"best_response", "mrd_negative", "progression_day", "relapse_type", "death_day",
                            "cart_peak_blood_cells_per_ul", "cart_peak_day"})
        if (run.summary.contains(key)) summary[key] = run.summary[key];
    return nlohmann::json{{"name", name}, {"summary", summary}, {"series", series_json(run.table, plot, limits.max_points)}};
}

}  // namespace

std::vector<Lesson> load_lessons(const fs::path& folder, std::string& error) {
    std::vector<Lesson> lessons;
    std::error_code ec;
    std::vector<fs::path> files;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.path().extension() == ".yaml") files.push_back(entry.path());
    if (ec) {
        error = fmt::format("cannot list the lessons in {}: {}", folder.string(), ec.message());
        return {};
    }
    std::sort(files.begin(), files.end());
    for (const auto& file : files) {
        Lesson lesson;
        lesson.name = file.stem().string();
        lesson.file = file;
        const config::Node* root = nullptr;
        std::optional<config::Result<scenario::LoadedScenario>> single;
        std::optional<config::Result<study::LoadedStudy>> study;
        if (is_study(file)) {
            study.emplace(study::load_study(file.string(), {}));
            if (!*study) {
                error = config::format_errors(study->errors());
                return {};
            }
            lesson.spec = study->value().base.lesson;
            for (const auto& g : study->value().groups) lesson.arms.push_back(g.name);
            root = &study->value().groups.front().root;
        } else {
            single.emplace(scenario::load_scenario(file.string(), {}));
            if (!*single) {
                error = config::format_errors(single->errors());
                return {};
            }
            lesson.spec = single->value().scenario.lesson;
            root = &single->value().resolved;
        }
        if (lesson.spec.sliders.empty() && lesson.spec.title.empty()) continue;  // not a lesson
        for (const auto& s : lesson.spec.sliders) lesson.slider_values.push_back(number_at(*root, s.path));
        lessons.push_back(std::move(lesson));
    }
    if (lessons.empty()) error = "no lesson (a scenario with a lesson: block) in " + folder.string();
    return lessons;
}

nlohmann::json lesson_json(const Lesson& lesson) {
    nlohmann::json sliders = nlohmann::json::array();
    for (std::size_t i = 0; i < lesson.spec.sliders.size(); ++i) {
        const auto& s = lesson.spec.sliders[i];
        const double v = lesson.slider_values[i];
        sliders.push_back({{"path", s.path}, {"label", s.label}, {"unit", s.unit}, {"min", s.min}, {"max", s.max},
                           {"log_scale", s.log_scale}, {"value", std::isfinite(v) ? nlohmann::json(v) : nlohmann::json()}});
    }
    return {{"name", lesson.name}, {"title", lesson.spec.title}, {"text", lesson.spec.text}, {"sliders", sliders},
            {"plot", lesson.spec.plot}, {"arms", lesson.arms}};
}

LessonRun run_lesson(const Lesson& lesson, const std::map<std::string, std::string>& values, const ServeLimits& limits) {
    const auto started = std::chrono::steady_clock::now();
    scenario::LoadOptions options;
    for (const auto& entry : values) {
        const std::string& path = entry.first;
        const std::string& value = entry.second;
        const bool known = std::any_of(lesson.spec.sliders.begin(), lesson.spec.sliders.end(),
                                       [&](const simulate::LessonSlider& s) { return s.path == path; });
        if (!known) return {400, error_body(fmt::format("'{}' is not a slider of lesson {}", path, lesson.name))};
        if (!config::parse_number(value)) return {400, error_body(fmt::format("{}: '{}' is not a number", path, value))};
        options.overrides.push_back(path + "=" + value);
    }
    std::vector<std::pair<std::string, simulate::Scenario>> arms;
    if (lesson.arms.empty()) {
        auto loaded = scenario::load_scenario(lesson.file.string(), options);
        if (!loaded) return {400, error_body(config::format_errors(loaded.errors()))};
        arms.emplace_back(lesson.spec.title, loaded.value().scenario);
    } else {
        auto loaded = study::load_study(lesson.file.string(), options);
        if (!loaded) return {400, error_body(config::format_errors(loaded.errors()))};
        const auto& st = loaded.value();
        if (st.groups.size() > limits.max_arms)
            return {400, error_body(fmt::format("{} arms; a lesson may have at most {}", st.groups.size(), limits.max_arms))};
        for (std::size_t g = 0; g < st.groups.size(); ++g) {
            auto sc = study::patient_scenario(st, g, 0, {});
            if (!sc) return {400, error_body(config::format_errors(sc.errors()))};
            arms.emplace_back(st.groups[g].name, sc.value());
        }
    }
    nlohmann::json out_arms = nlohmann::json::array();
    for (const auto& [name, sc] : arms) {
        if (sc.horizon_days > limits.max_horizon_days)
            return {400, error_body(fmt::format("horizon_days {} is over the server's limit of {} days", sc.horizon_days,
                                                limits.max_horizon_days))};
        try {
            out_arms.push_back(arm_json(name, simulate_single(sc, limits.run_seconds), lesson.spec.plot, limits));
        } catch (const std::invalid_argument& e) {
            return {400, error_body(e.what())};
        } catch (const std::exception& e) {  // the wall-time limit, a solver failure, the agent bound
            return {503, error_body(fmt::format("the run of arm '{}' stopped: {}", name, e.what()))};
        }
    }
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    return {200, nlohmann::json{{"lesson", lesson.name}, {"arms", out_arms}, {"plot", lesson.spec.plot}, {"milliseconds", ms}}};
}

}  // namespace cartsim::cli
