// What each scheduled event of a patient run does (patient_run_internal.hpp): line starts and stops,
// apheresis, lymphodepletion, infusions, doses, drug exposure, assessments and deaths.

#include "src/simulate/patient_run_internal.hpp"

namespace cartsim::simulate::run_detail {

bool PatientRun::apply_events(double t, patient::State& x) {
    // The agents reach the event first (with the state just before it), so that an infusion, a kill
    // or a reading at t meets them as they are at t; after the jumps they go on from the new state.
    if (hybrid_ && !dead_ && !queue_.empty() && queue_.top().day <= t + kSameTime) {
        hybrid_->advance_to(t, x);
        hybrid_->write_agent_counts(x);
    }
    while (!queue_.empty() && queue_.top().day <= t + kSameTime) {
        const Event e = queue_.top();
        queue_.pop();
        if (dead_) return true;
        handle(e, x);
    }
    if (hybrid_) hybrid_->set_reference(t, x);
    // The state after the jumps counts for peaks and the lethal burden, as every step's does.
    return dead_ || endpoints_.at_point(t, x);
}

void PatientRun::handle(const Event& e, patient::State& x) {
    const auto& layout = model_.layout();
    const double t = e.day;
    const TherapyRef* ref = e.therapy >= 0 ? &plan_.therapies[static_cast<std::size_t>(e.therapy)] : nullptr;
    // Therapy events of a line that has stopped are cancelled.
    if (ref && !line_active(e.line) && e.kind != EventKind::ExposureOff) return;
    switch (e.kind) {
        case EventKind::LineStart:
            if (lines_[e.line].status == LineStatus::Pending) start_line(e.line, t, x);
            break;
        case EventKind::LineStop:
            if (line_active(e.line)) stop_line(e.line, t);
            break;
        case EventKind::Assessment:
            if (e.value == assessment_generation_) assess(t, x);
            break;
        case EventKind::Apheresis: {
            auto& run = model_.cart_runtime(static_cast<std::size_t>(ref->cart_slot));
            const double ratio = model_.functional_t_fraction(x) / scenario_.patient.t_cells.fitness_reference_fraction;
            run.fitness_ratio = std::clamp(ratio, 0.0, 1.5);
            log(t, "apheresis for " + therapy(*ref).name);
            break;
        }
        case EventKind::Lymphodepletion: {
            const auto& ld = scenario_.patient.lymphodepletion;
            const double keep = 1.0 - ld.t_cell_depletion_fraction;
            x[layout.compartment(Compartment::EndogenousFunctional)] *= keep;
            x[layout.compartment(Compartment::EndogenousExhausted)] *= keep;
            for (std::size_t p = 0; p < layout.cart_products(); ++p) {
                if (hybrid_) {
                    hybrid_->keep_cart_share(p, keep, t, x);
                } else {
                    for (std::size_t pool = 0; pool < patient::StateLayout::kCarTPools; ++pool)
                        x[layout.cart(p, static_cast<CarTPool>(pool))] *= keep;
                }
            }
            kill_tumour_share(t, x, ld.tumour_kill_fraction);
            model_.deplete_anti_car(x, keep);
            x[layout.compartment(Compartment::LdCytokine)] = 1.0;
            log(t, "lymphodepletion");
            break;
        }
        case EventKind::Infusion: {
            const auto p = static_cast<std::size_t>(ref->cart_slot);
            const auto& cp = plan_.slots.cart[p].params;
            auto& run = model_.cart_runtime(p);
            const double memory = std::clamp(
                cp.memory_fraction_at_infusion * (scenario_.mechanisms.manufacturing_fitness ? run.fitness_ratio : 1.0),
                0.0, 1.0);
            model_.add_cart_doublings_share(x, p, cp.dose_cells);
            if (hybrid_) {
                hybrid_->add_cart_cells(p, CarTPool::EffectorBlood, cp.dose_cells * (1.0 - memory), t, x);
                hybrid_->add_cart_cells(p, CarTPool::MemoryBlood, cp.dose_cells * memory, t, x);
            } else {
                x[layout.cart(p, CarTPool::EffectorBlood)] += cp.dose_cells * (1.0 - memory);
                x[layout.cart(p, CarTPool::MemoryBlood)] += cp.dose_cells * memory;
            }
            run.infused = true;
            run.infusion_day = t;
            model_.prime_anti_car(x, p);
            log(t, "infusion of " + therapy(*ref).name);
            break;
        }
        case EventKind::BispecificDose: {
            const auto b = static_cast<std::size_t>(ref->bispecific_slot);
            const auto& bp = plan_.slots.bispecific[b].params;
            const double mg = e.value * (bp.dose_unit == drugs::DoseUnit::MgPerKg ? scenario_.patient.weight_kg : 1.0);
            // Time-varying clearance counts from the line's start (the first dose of its schedule).
            const double on_drug = t - lines_[e.line].start_day;
            if (bp.route == drugs::Route::Intravenous)
                model_.dose_bispecific(x, b, t, {0.0, mg, 0.0}, on_drug);
            else
                model_.dose_bispecific(x, b, t, {bp.bioavailability * mg, 0.0, 0.0}, on_drug);
            const bool full = e.value == bp.dose;
            if (full) {
                const auto& line = lines_[e.line];
                const bool reduce = line.responding_since && t - *line.responding_since >= bp.reduce_after_days;
                schedule(t + (reduce ? bp.reduced_interval_days : bp.interval_days), EventKind::BispecificDose, e.line,
                         e.therapy, bp.dose);
            }
            break;
        }
        case EventKind::ExposureOn: {
            const auto i = static_cast<std::size_t>(ref->exposure);
            exposure_on_[i] = true;
            exposure_first_on_[i] = std::min(exposure_first_on_[i], t);
            const auto& s = therapy(*ref).schedule;
            const double off = s.cycle_days ? std::min(t + s.days_on, exposure_end_[i]) : exposure_end_[i];
            if (std::isfinite(off)) schedule(off, EventKind::ExposureOff, e.line, e.therapy, t);
            refresh_effects(t);
            break;
        }
        case EventKind::ExposureOff: {
            const auto i = static_cast<std::size_t>(ref->exposure);
            if (!exposure_on_[i]) break;
            exposure_on_[i] = false;
            const auto& s = therapy(*ref).schedule;
            if (line_active(e.line) && s.cycle_days && e.value + *s.cycle_days < exposure_end_[i] - kSameTime)
                schedule(e.value + *s.cycle_days, EventKind::ExposureOn, e.line, e.therapy);
            refresh_effects(t);
            break;
        }
        case EventKind::Radiotherapy: {
            // With a second tumour site, focal radiotherapy treats it (and, abscopally, the marrow);
            // without one it treats a bone lesion of the marrow disease.
            const auto& effect = therapy(*ref).effect;
            if (model_.has_second_site()) {
                std::vector<double> shares;
                for (const auto& clone : model_.clone_set().clones)
                    shares.push_back(clone.site == 1 ? effect.site_kill_fraction : effect.abscopal_kill_fraction);
                kill_tumour_shares(t, x, shares);
            } else {
                kill_tumour_share(t, x, effect.kill_fraction);
            }
            log(t, "radiotherapy");
            break;
        }
        case EventKind::BackgroundDeath:
            dead_ = true;
            result_.summary.death_day = t;
            result_.summary.death_cause = "background";
            log(t, "death (background mortality)");
            break;
    }
}

void PatientRun::start_line(int line, double t, const patient::State& x) {
    if (current_line_ >= 0 && line_active(current_line_)) stop_line(current_line_, t);
    LineState& state = lines_[line];
    state.status = LineStatus::Active;
    state.start_day = t;
    state.tracker.emplace(scenario_.endpoints.response, scenario_.patient.mprotein.detection_limit_g_per_dl,
                          x[model_.layout().compartment(Compartment::MProtein)], model_.extramedullary_cells(x));
    state.baseline = line_baseline(context(line), x);
    current_line_ = line;
    endpoints_.set_line(context(line), &state.peak_effector, &state.crs);
    result_.summary.lines[line].start_day = t;
    log(t, "start of line " + scenario_.regimen[line].name);
    for (const TherapyRef& ref : plan_.therapies)
        if (static_cast<int>(ref.line) == line) schedule_therapy(line, ref, t);
    if (const auto& d = scenario_.regimen[line].duration_days) schedule(t + *d, EventKind::LineStop, line);
    // Assessments restart with the line, as trials count cycles from the first dose.
    assessment_generation_ += 1.0;
    schedule(t + scenario_.endpoints.response.assessment_interval_days, EventKind::Assessment, -1, -1,
             assessment_generation_);
}

void PatientRun::schedule_therapy(int line, const TherapyRef& ref, double t) {
    const auto index = static_cast<int>(&ref - plan_.therapies.data());
    const drugs::Therapy& th = therapy(ref);
    switch (th.kind) {
        case TherapyKind::CarT: {
            const double infusion = t + th.cart.infusion_day;
            schedule(std::max(t, infusion - th.cart.apheresis_days_before_infusion), EventKind::Apheresis, line, index);
            if (th.cart.lymphodepletion)
                schedule(std::max(t, infusion - scenario_.patient.lymphodepletion.days_before_infusion),
                         EventKind::Lymphodepletion, line, index);
            schedule(infusion, EventKind::Infusion, line, index);
            break;
        }
        case TherapyKind::Bispecific: {
            const auto& bp = th.bispecific;
            for (std::size_t i = 0; i < bp.step_up_doses.size(); ++i)
                schedule(t + bp.step_up_days[i], EventKind::BispecificDose, line, index, bp.step_up_doses[i]);
            schedule(t + bp.first_full_dose_day, EventKind::BispecificDose, line, index, bp.dose);
            break;
        }
        case TherapyKind::Radiotherapy: schedule(t + th.schedule.start_day, EventKind::Radiotherapy, line, index); break;
        case TherapyKind::Unset: break;
        default: {
            const auto i = static_cast<std::size_t>(ref.exposure);
            const double on = t + th.schedule.start_day;
            exposure_end_[i] = th.schedule.duration_days ? on + *th.schedule.duration_days : kInfinity;
            schedule(on, EventKind::ExposureOn, line, index);
            break;
        }
    }
}

void PatientRun::stop_line(int line, double t) {
    lines_[line].status = LineStatus::Done;
    if (line == current_line_) endpoints_.set_line(std::nullopt, nullptr, nullptr);
    result_.summary.lines[line].stop_day = t;
    for (std::size_t i = 0; i < plan_.exposures.size(); ++i) {
        if (static_cast<int>(plan_.exposures[i].line) != line) continue;
        exposure_end_[i] = std::min(exposure_end_[i], t);
        exposure_on_[i] = false;
    }
    refresh_effects(t);
    log(t, "end of line " + scenario_.regimen[line].name);
}

}  // namespace cartsim::simulate::run_detail
