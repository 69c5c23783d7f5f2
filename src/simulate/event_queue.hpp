#pragma once
// The events of one patient's run, in a priority queue by day (ties keep their scheduling order).

#include <limits>
#include <queue>
#include <vector>

namespace cartsim::simulate {

inline constexpr double kInfinity = std::numeric_limits<double>::infinity();
inline constexpr double kSameTime = 1e-9;  // days; events closer than this happen together

enum class EventKind {
    LineStart,
    LineStop,
    Assessment,
    Apheresis,
    Lymphodepletion,
    Infusion,
    BispecificDose,
    ExposureOn,
    ExposureOff,
    Radiotherapy,
    BackgroundDeath,
};

struct Event {
    double day = 0.0;
    EventKind kind = EventKind::Assessment;
    int line = -1;
    int therapy = -1;       // index into RegimenPlan::therapies
    double value = 0.0;     // dose, cycle start, assessment generation ...
    long sequence = 0;      // ties at the same day keep their scheduling order
};

struct LaterFirst {
    bool operator()(const Event& a, const Event& b) const {
        if (a.day != b.day) return a.day > b.day;
        return a.sequence > b.sequence;
    }
};

using EventQueue = std::priority_queue<Event, std::vector<Event>, LaterFirst>;

}  // namespace cartsim::simulate
