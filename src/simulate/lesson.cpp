#include "src/simulate/lesson.hpp"

#include <fmt/format.h>

namespace cartsim::simulate {

std::vector<std::string> validate(const LessonSpec& l) {
    std::vector<std::string> problems;
    for (std::size_t i = 0; i < l.sliders.size(); ++i) {
        const auto& s = l.sliders[i];
        const std::string at = fmt::format("lesson.sliders[{}].", s.path.empty() ? std::to_string(i) : s.path);
        if (s.path.empty()) problems.push_back(at + "path: every slider names the value it sets");
        if (s.path.find('=') != std::string::npos) problems.push_back(at + "path: a path, without '=value'");
        if (!(s.max > s.min)) problems.push_back(at + "max: must be above min");
        if (s.log_scale && !(s.min > 0.0)) problems.push_back(at + "min: a log-scale slider needs min > 0");
    }
    return problems;
}

}  // namespace cartsim::simulate
