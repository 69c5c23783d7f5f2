#include "src/simulate/step_endpoints.hpp"

#include <cmath>
#include <limits>

#include "model/patient/readouts.hpp"
#include "solvers/ode/step_search.hpp"

namespace cartsim::simulate {
namespace {

constexpr int kSamples = 5;              // the step's two ends and three equally spaced inner points
constexpr double kPeakTolerance = 1e-6;  // days; a peak's day is found to this
constexpr double kCrossingTolerance = 1e-9;  // days

}  // namespace

StepEndpoints::StepEndpoints(const patient::MyelomaModel& model, double lethal_burden_cells,
                             double detection_limit_cells_per_ul, double crs_onset_threshold,
                             double absolute_tolerance)
    : model_(model),
      lethal_burden_cells_(lethal_burden_cells),
      detection_limit_(detection_limit_cells_per_ul),
      crs_threshold_(crs_onset_threshold),
      negative_floor_(-absolute_tolerance),
      first_whole_cell_(model.layout().clones()),
      clone_cells_{std::vector<double>(model.layout().clones()), std::vector<double>(model.layout().clones())},
      times_(kSamples),
      samples_(kSamples) {}

void StepEndpoints::set_line(std::optional<LineContext> line, double* peak_effector, LineCrs* crs) {
    line_.reset();
    if (line) line_.emplace(*line);
    peak_effector_ = line ? peak_effector : nullptr;
    line_crs_ = line ? crs : nullptr;
}

StepEndpoints::Sample StepEndpoints::measure(const patient::State& x, double t) const {
    Sample s;
    for (std::size_t p = 0; p < model_.layout().cart_products(); ++p) {
        s.blood += patient::cart_blood_cells_per_ul(model_, x, p);
        s.copies += patient::cart_blood_copies_per_ug_dna(model_, x, p);
    }
    s.inflammation = x[model_.layout().compartment(patient::Compartment::Inflammation)];
    if (line_) s.effector = line_effector(*line_, x, t);
    s.tumour = model_.tumour_cells(x);
    return s;
}

void StepEndpoints::offer(double t, const Sample& s) {
    if (s.blood > cart_blood_.value) cart_blood_ = {s.blood, t};
    if (s.copies > cart_copies_.value) cart_copies_ = {s.copies, t};
    if (s.inflammation > inflammation_.value) inflammation_ = {s.inflammation, t};
    if (peak_effector_ && s.effector > *peak_effector_) *peak_effector_ = s.effector;
    if (line_crs_ && s.inflammation > line_crs_->peak) line_crs_->peak = s.inflammation;
    if (model_.layout().cart_products() > 0 && s.blood >= detection_limit_) detectable_until_ = t;
}

void StepEndpoints::fill(Summary& summary) const {
    summary.cart_peak_blood_cells_per_ul = cart_blood_.value;
    summary.cart_peak_day = cart_blood_.day;
    summary.cart_peak_copies_per_ug_dna = cart_copies_.value;
    summary.cart_detectable_until_day = detectable_until_;
    summary.peak_inflammation_index = inflammation_.value;
    summary.crs_onset_day = crs_onset_;
    summary.negative_state_points = negative_points_;
    if (negative_points_ > 0) {
        summary.most_negative_state = most_negative_;
        summary.most_negative_state_name = model_.layout().name(most_negative_index_);
    }
}

void StepEndpoints::check_negative(const patient::State& x) {
    bool below = false;
    const auto& layout = model_.layout();
    for (std::size_t i = 0; i < x.size(); ++i) {
        if (!(x[i] < negative_floor_) || layout.may_be_negative(i)) continue;
        below = true;
        if (x[i] < most_negative_) {
            most_negative_ = x[i];
            most_negative_index_ = i;
        }
    }
    if (below) ++negative_points_;
}

bool StepEndpoints::at_point(double t, const patient::State& x) {
    check_negative(x);
    const Sample s = measure(x, t);
    offer(t, s);
    if (s.inflammation >= crs_threshold_) {  // a line started while inflamed has its onset at its start
        if (!crs_onset_) crs_onset_ = t;
        if (line_crs_ && !line_crs_->onset_day) line_crs_->onset_day = t;
    }
    for (std::size_t c = 0; c < first_whole_cell_.size(); ++c)
        if (!first_whole_cell_[c] && model_.clone_cells(x, c) >= 1.0) first_whole_cell_[c] = t;
    if (!lethal_day_ && s.tumour >= lethal_burden_cells_) lethal_day_ = t;
    return lethal_day_.has_value();
}

double StepEndpoints::on_step(const ode::Step& step) {
    const double a = step.start(), b = step.end();
    for (int i = 0; i < kSamples; ++i) {
        times_[i] = i == kSamples - 1 ? b : a + (b - a) * static_cast<double>(i) / (kSamples - 1);
        step.state_at(times_[i], scratch_);
        samples_[i] = measure(scratch_, times_[i]);
        if (i == kSamples - 1) check_negative(scratch_);
        if (i == 0 || i == kSamples - 1)
            for (std::size_t c = 0; c < first_whole_cell_.size(); ++c)
                if (!first_whole_cell_[c]) clone_cells_[i == 0 ? 0 : 1][c] = model_.clone_cells(scratch_, c);
        offer(times_[i], samples_[i]);
    }
    refine_peaks(step, times_, samples_);
    clone_crossings(step);
    detection_crossings(step);
    crs_onset(step);
    if (lethal_day_) return std::numeric_limits<double>::infinity();
    for (int i = 0; i < kSamples; ++i) {
        if (samples_[i].tumour < lethal_burden_cells_) continue;
        const auto tumour = [&](double t) {
            step.state_at(t, scratch_);
            return model_.tumour_cells(scratch_);
        };
        // A start already at the burden (a change at the step's start) dies just after it.
        const double from = i == 0 ? a : times_[i - 1];
        const double to = i == 0 ? times_[1] : times_[i];
        lethal_day_ = ode::first_crossing(from, to, tumour, lethal_burden_cells_, kCrossingTolerance);
        return *lethal_day_;
    }
    return std::numeric_limits<double>::infinity();
}

void StepEndpoints::refine_peaks(const ode::Step& step, const std::vector<double>& t, const std::vector<Sample>& s) {
    // A quantity whose best sample lies inside the step, at its running peak, has its maximum in the
    // bracket of that sample's neighbours.
    const auto refine = [&](double Sample::*field, double peak_value, auto&& record) {
        int best = 0;
        for (int i = 1; i < kSamples; ++i)
            if (s[i].*field > s[best].*field) best = i;
        if (best == 0 || best == kSamples - 1 || s[best].*field < peak_value) return;
        const auto g = [&](double time) {
            step.state_at(time, scratch_);
            return measure(scratch_, time).*field;
        };
        const ode::StepPeak peak = ode::golden_section_max(t[best - 1], t[best + 1], g, kPeakTolerance);
        if (peak.value > s[best].*field) record(peak);
    };
    refine(&Sample::blood, cart_blood_.value, [&](const ode::StepPeak& p) { cart_blood_ = {p.value, p.t}; });
    refine(&Sample::copies, cart_copies_.value, [&](const ode::StepPeak& p) { cart_copies_ = {p.value, p.t}; });
    refine(&Sample::inflammation, inflammation_.value,
           [&](const ode::StepPeak& p) { inflammation_ = {p.value, p.t}; });
    if (line_crs_)
        refine(&Sample::inflammation, line_crs_->peak, [&](const ode::StepPeak& p) { line_crs_->peak = p.value; });
    if (peak_effector_)
        refine(&Sample::effector, *peak_effector_, [&](const ode::StepPeak& p) { *peak_effector_ = p.value; });
}

void StepEndpoints::crs_onset(const ode::Step& step) {
    const bool run_open = !crs_onset_, line_open = line_crs_ && !line_crs_->onset_day;
    if (!run_open && !line_open) return;
    // The first rise to the threshold inside the step, between a sample below it and the next.
    for (int i = 0; i + 1 < kSamples; ++i) {
        if (!(samples_[i].inflammation < crs_threshold_ && samples_[i + 1].inflammation >= crs_threshold_)) continue;
        const auto inflammation = [&](double t) {
            step.state_at(t, scratch_);
            return measure(scratch_, t).inflammation;
        };
        const double day = ode::first_crossing(times_[i], times_[i + 1], inflammation, crs_threshold_, kCrossingTolerance);
        if (run_open) crs_onset_ = day;
        if (line_open) line_crs_->onset_day = day;
        return;
    }
    // A rise and fall between two samples: the peak refined inside this step reached the threshold.
    const double a = step.start(), b = step.end();
    if (inflammation_.day && *inflammation_.day > a && *inflammation_.day < b && inflammation_.value >= crs_threshold_) {
        const auto inflammation = [&](double t) {
            step.state_at(t, scratch_);
            return measure(scratch_, t).inflammation;
        };
        const double day = ode::first_crossing(a, *inflammation_.day, inflammation, crs_threshold_, kCrossingTolerance);
        if (run_open) crs_onset_ = day;
        if (line_open) line_crs_->onset_day = day;
    }
}

void StepEndpoints::detection_crossings(const ode::Step& step) {
    if (model_.layout().cart_products() == 0 || samples_[kSamples - 1].blood >= detection_limit_) return;
    // The last fall below the limit inside the step, between a sample at or above it and the next.
    for (int i = kSamples - 2; i >= 0; --i) {
        if (!(samples_[i].blood >= detection_limit_ && samples_[i + 1].blood < detection_limit_)) continue;
        const auto minus_blood = [&](double t) {
            step.state_at(t, scratch_);
            return -measure(scratch_, t).blood;
        };
        detectable_until_ = ode::first_crossing(times_[i], times_[i + 1], minus_blood, -detection_limit_, kCrossingTolerance);
        return;
    }
}

void StepEndpoints::clone_crossings(const ode::Step& step) {
    for (std::size_t c = 0; c < first_whole_cell_.size(); ++c) {
        if (first_whole_cell_[c] || clone_cells_[1][c] < 1.0) continue;
        if (clone_cells_[0][c] >= 1.0) {
            first_whole_cell_[c] = step.start();
            continue;
        }
        const auto cells = [&](double t) {
            step.state_at(t, scratch_);
            return model_.clone_cells(scratch_, c);
        };
        first_whole_cell_[c] = ode::first_crossing(step.start(), step.end(), cells, 1.0, kCrossingTolerance);
    }
}

}  // namespace cartsim::simulate
