#pragma once
// The `lesson:` block of a teaching scenario (scenarios/lessons): its title and text, and the few
// parameters a student changes, as sliders for `cartsim serve`. It changes nothing in a run.

#include <string>
#include <vector>

#include "model/common/describe.hpp"

namespace cartsim::simulate {

struct LessonSlider {
    std::string path;   // a --set path, e.g. "patient.tumour.clones[bcma_neg].fraction"
    std::string label;  // what the student reads next to the slider
    std::string unit;
    double min = 0.0;
    double max = 1.0;
    bool log_scale = false;  // the slider moves the value's logarithm (min > 0)
};

template <class V>
void describe(LessonSlider& s, V& v) {
    v.field("path", s.path, FieldInfo{"", "", "the value the slider sets, as a --set path"});
    v.field("label", s.label, FieldInfo{"", "", "the slider's label"});
    v.field("unit", s.unit, FieldInfo{"", "", "the value's unit, shown with it"});
    v.field("min", s.min, any_value("value unit", "", "the slider's lowest value").plausible(-kInf, kInf, "any (the slider's own range)"));
    v.field("max", s.max, any_value("value unit", "", "the slider's highest value").plausible(-kInf, kInf, "any (the slider's own range)"));
    v.field("log_scale", s.log_scale, FieldInfo{"", "", "the slider moves the logarithm of the value (min > 0)"});
}

struct LessonSpec {
    std::string title;
    std::string text;                  // a paragraph: what to look at, what to change
    std::vector<LessonSlider> sliders;
    std::vector<std::string> plot;     // time-series columns drawn, each on its own chart
};

template <class V>
void describe(LessonSpec& l, V& v) {
    v.field("title", l.title, FieldInfo{"", "", "the lesson's title"});
    v.field("text", l.text, FieldInfo{"", "", "what the student should look at and change"});
    v.list("sliders", l.sliders);
    v.field("plot", l.plot, FieldInfo{"", "", "timeseries.csv columns cartsim serve draws, one chart each"});
}

/// Cross-field problems ("lesson.sliders[i].key: message").
std::vector<std::string> validate(const LessonSpec& l);

}  // namespace cartsim::simulate
