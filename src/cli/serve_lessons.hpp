#pragma once
// The lessons `cartsim serve` offers (scenarios/lessons/*.yaml with a `lesson:` block) and one run of a
// lesson with the sliders' values, every value through the same strict loader as a file's.

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "src/simulate/lesson.hpp"

namespace cartsim::cli {

/// Bounds that keep one request from tying up the machine.
struct ServeLimits {
    double max_horizon_days = 3650.0;  // a lesson (after the sliders) may simulate at most 10 years
    std::size_t max_arms = 8;
    double run_seconds = 10.0;          // wall-clock limit of each arm's run
    std::size_t max_points = 800;       // time points sent per series (thinned evenly)
};

struct Lesson {
    std::string name;  // file stem, e.g. "antigen-escape-preexisting"
    std::filesystem::path file;
    simulate::LessonSpec spec;
    std::vector<std::string> arms;        // empty: one patient, no arms
    std::vector<double> slider_values;    // each slider's value in the file (NaN where it is not a number)
};

/// Every lesson of `folder` (files without a `lesson:` block are skipped). A lesson that does not load
/// is an error naming its file: the server does not start with a broken lesson.
std::vector<Lesson> load_lessons(const std::filesystem::path& folder, std::string& error);

/// The lesson as the page needs it: title, text, sliders with their values, plotted columns, arms.
nlohmann::json lesson_json(const Lesson& lesson);

/// The outcome of one request: HTTP status (200, 400 bad input, 503 over a limit) and the JSON body
/// ({"arms": [...]} or {"error": message}).
struct LessonRun {
    int status = 200;
    nlohmann::json body;
};

/// Runs `lesson` with `values` (slider path -> value text). Only the lesson's own slider paths are
/// accepted; each value goes to the loader as `--set path=value`, whose messages come back with 400.
LessonRun run_lesson(const Lesson& lesson, const std::map<std::string, std::string>& values, const ServeLimits& limits);

}  // namespace cartsim::cli
