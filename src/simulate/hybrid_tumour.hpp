#pragma once
// Tumour clones and CAR-T products as agents while small and as ODE populations while large
// (MODEL.md section 5). A CAR-T population is one product with all its pools; an agent's bin is its
// pool (blood or marrow, effector, memory or exhausted), so a CAR-T agent carries product and phenotype.
//
// Coupling: agents are advanced on a fixed grid (hybrid.agent_step_days, 1 day by default) and to each
// scheduled event, neither of which depends on the output times or the ODE steps, so a run's random
// path is the same whatever output is asked for. Inside a grid step each population takes leaps short
// enough that its (largest per-cell rate) x leap <= hybrid.max_hazard_per_leap. The rest of the model
// is the ODE state interpolated linearly between the two ends of the stretch. Tumour rates come from
// the state at its middle (tumour agents barely change their own rates within one); while CAR-T agents
// exist, every rate is recomputed from the state at the start of each leap, and all populations share
// that leap (model.tumour_rates and model.cart_rates: one definition of each rate law for both
// representations).
// After every accepted ODE step (at most hybrid.max_sync_days long) the agent counts are written into
// the ODE state, new mutants of large clones are drawn (Poisson), and populations that crossed a
// threshold change representation. An agent population is frozen in the ODE state between those
// writes, so the rest of the model (CAR-T stimulation, soluble BCMA, M-protein) sees its cells.
//
// Agent attributes: antigen densities [molecules/cell, float] in the order of `Antigen` (BCMA, GPRC5D,
// FcRH5, CD38). The agent's bin is the BCMA density bin; BCMA density is drawn log-uniformly inside the
// bin when a cell is created from the ODE and inherited with lognormal noise at division. The other
// antigens act through the clone's mean recognition (as in the ODE), so cells carry the clone median.
//
// Bounds on work and memory (hybrid.max_agents, hybrid.max_lineages): at a synchronisation a
// population that would take the run's agents above max_agents stays in (or returns to) the ODE; a run
// whose agents grow past twice the bound between synchronisations stops with HybridLimitExceeded. Founding events
// beyond max_lineages join one pooled lineage record per clone. Each is counted (bound_hits()). Of the
// hand-over records, the first hybrid.kept_switch_records (1000) of each direction are kept (all are
// counted).
//
// Implementation: hybrid_tumour.cpp (construction, the agent grid, synchronisation, tumour agents),
// hybrid_cart.cpp (CAR-T products as agents), hybrid_lineage.cpp (mutants and lineages).

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/patient/myeloma_model.hpp"
#include "solvers/agents/binned_population.hpp"
#include "solvers/hybrid/leap.hpp"
#include "solvers/hybrid/switching.hpp"
#include "src/simulate/run_result.hpp"
#include "src/simulate/scenario.hpp"

namespace cartsim::simulate {

/// A run whose agents grew past twice hybrid.max_agents between two synchronisations.
class HybridLimitExceeded : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// How often a run met the hybrid bounds, and how close it came.
struct HybridBounds {
    std::int64_t agent_bound_hits = 0;    // populations kept in or sent to the ODE by max_agents
    std::int64_t lineage_bound_hits = 0;  // founding events pooled beyond max_lineages
    std::int64_t peak_agents = 0;         // most agents of all populations at once (grid and sync points)
    std::int64_t lineage_records = 0;     // lineage records at the end (pooled records included)
};

class HybridTumour {
public:
    HybridTumour(patient::MyelomaModel& model, const HybridSettings& settings, std::uint64_t seed,
                 std::uint32_t patient = 0);

    /// Chooses each clone's representation at the start and creates agents for small clones.
    void initialise(double t, patient::State& x);
    /// Advances agents to t, draws new mutants of ODE clones, writes agents into x and switches
    /// representations. True when x changed.
    bool synchronise(double t, patient::State& x);
    /// Advances the agents alone to t (a point of the agent grid, or an event) with the rates of the
    /// ODE state interpolated between the reference (the state where they were last advanced to) and
    /// x, the ODE state at t. x is not changed. The reference becomes x.
    void advance_to(double t, const patient::State& x);
    /// After a jump of the ODE state at t (an event, where the agents were advanced to t first): the
    /// state to interpolate from. Ignored unless the agents stand at t.
    void set_reference(double t, const patient::State& x);
    /// Writes every agent population's current counts into x.
    void write_agent_counts(patient::State& x) const;
    /// Kills shares[c] of clone c's cells at once (lymphodepletion, radiotherapy): agents one by one;
    /// the ODE part is multiplied by the caller.
    void kill_share(double t, patient::State& x, const std::vector<double>& shares);

    hybrid::Representation representation(std::size_t clone) const { return clones_[clone].mode; }
    hybrid::Representation cart_representation(std::size_t product) const { return products_[product].mode; }
    std::size_t cart_agent_count(std::size_t product) const { return products_[product].agents.size(); }
    /// Adds CAR-T cells to a pool (infusion): as agents while the product stays small, else in the ODE.
    void add_cart_cells(std::size_t product, patient::CarTPool pool, double cells, double t, patient::State& x);
    /// Keeps a share of a product's cells (lymphodepletion): agents by a binomial draw, ODE by scaling.
    void keep_cart_share(std::size_t product, double share, double t, patient::State& x);
    bool any_agents() const;
    bool cart_agents() const;  // any CAR-T product held by (at least one) agent
    std::size_t agent_count(std::size_t clone) const { return clones_[clone].agents.size(); }
    const agents::BinnedPopulation& agents_of(std::size_t clone) const { return clones_[clone].agents; }
    /// Lineages with their peaks and extinction days (updated at every synchronisation).
    std::vector<LineageRecord> lineages() const;
    double lineage_founding_day(std::uint32_t lineage) const { return lineages_[lineage].founding_day; }
    /// The lineage with the most cells in a clone now (null when the clone is empty).
    std::optional<std::uint32_t> largest_lineage(std::size_t clone) const;
    /// The first settings.kept_switch_records hand-overs of each direction, and how many there were.
    const std::vector<hybrid::ToAgentsRecord>& to_agents_records() const { return to_agents_; }
    const std::vector<hybrid::ToOdeRecord>& to_ode_records() const { return to_ode_; }
    std::int64_t to_agents_count() const { return to_agents_count_; }
    std::int64_t to_ode_count() const { return to_ode_count_; }
    /// Agents of every population now.
    std::size_t total_agents() const;
    HybridBounds bounds() const;
    const hybrid::LeapStats& stats() const { return stats_; }

    /// Largest total per-cell rate of any populated agent bin, tumour or CAR-T (the sum of its channels,
    /// drift and trogocytosis included) [1/day]: it bounds the leap so no agent meets more than
    /// settings.max_hazard_per_leap of hazard in one leap.
    double fastest_agent_rate(const patient::State& x, const patient::TumourRates& rates, double t) const;

private:
    struct CloneState {
        hybrid::Representation mode = hybrid::Representation::Ode;
        agents::BinnedPopulation agents;
        std::uint32_t steps = 0;  // random-stream step counter of this population
        std::vector<std::pair<std::uint32_t, double>> ode_lineage_shares;  // while in the ODE
        // The clone's ODE cells at the last synchronisation and their peak since its shares were set: a
        // lineage's size and peak in the ODE are its share of these (folded in by fold_ode_lineages and
        // lineages(), not rewritten for every lineage at every synchronisation).
        double ode_cells = 0.0, ode_peak_cells = 0.0;
        hybrid::BinChannels channels;       // per-cell rates of the agents' bins
        double agents_from = 0.0;           // day the agents took over from the ODE [day]
    };

    agents::Agent new_cell(std::size_t clone, std::size_t bin, agents::CounterRng& rng, double day);
    /// BCMA density bin of a cell, searched from `hint` (any bin gives the same answer).
    std::size_t bin_of(double bcma_density, std::size_t hint = 1) const;
    /// The float nearest to `density` [molecules/cell] inside log bin `bin`.
    float density_in_bin(double density, std::size_t bin) const;
    void to_agents(std::size_t clone, double t, patient::State& x);
    void to_ode(std::size_t clone, double t, patient::State& x);
    void write_agents(std::size_t clone, patient::State& x) const;
    /// Applies a mutation route to a cell and adds it to the route's target; `bin_hint` as for bin_of.
    void place_mutant(std::size_t route, agents::Agent cell, std::size_t bin_hint, double t, patient::State& x);
    /// True when `cells` more agents fit under hybrid.max_agents (else counts a bound hit).
    bool agents_fit(double cells);
    void note_peak_agents();
    void keep_record(hybrid::ToAgentsRecord&& record);
    void keep_record(hybrid::ToOdeRecord&& record);
    /// True when it placed at least one mutant.
    bool draw_ode_mutants(double t0, double t1, patient::State& x, const patient::TumourRates& rates);
    void fill_channels(std::size_t clone, const patient::TumourRates& rates);
    /// The channels of one agent bin (division, death, drift and trogocytosis moves) at these rates.
    void bin_channels(std::size_t clone, std::size_t k, const patient::TumourRates& rates,
                      std::vector<hybrid::Channel>& out) const;
    /// Agents of a clone per lineage, in lineage order.
    std::vector<std::pair<std::uint32_t, double>> lineage_counts(std::size_t clone) const;
    std::uint32_t found_lineage(std::size_t clone, std::size_t parent_clone, double day, std::uint64_t cell);
    void update_lineage_sizes(double t, const patient::State& x);
    /// Writes the sizes and peaks of a clone's lineages held in the ODE into their records (before its
    /// shares change).
    void fold_ode_lineages(std::size_t clone);
    void gain_cell(std::uint32_t lineage);              // one more agent of this lineage
    void lose_cell(std::uint32_t lineage, double day);  // one fewer; extinct at zero

    struct ProductState {
        hybrid::Representation mode = hybrid::Representation::Ode;
        agents::BinnedPopulation agents{patient::StateLayout::kCarTPools};
        std::uint32_t steps = 0;
        double agents_from = 0.0;  // as CloneState::agents_from
    };
    double cart_cells(std::size_t product, const patient::State& x) const;  // in the ODE state
    void cart_to_agents(std::size_t product, double t, patient::State& x);
    void cart_to_ode(std::size_t product, double t, patient::State& x);
    void write_cart_agents(std::size_t product, patient::State& x) const;
    // Step the agent populations (all, or the one named) over [t0, t1]; a population that took over
    // from the ODE after t0 is stepped from then on.
    static constexpr std::size_t kAll = static_cast<std::size_t>(-1);
    bool step_cart_agents(double t0, double t1, const patient::State& x, std::size_t only = kAll);
    bool step_tumour_agents(double t0, double t1, const patient::TumourRates& rates, std::size_t only = kAll);

    patient::MyelomaModel& model_;
    std::vector<ProductState> products_;
    HybridSettings settings_;
    std::uint64_t seed_;
    std::uint32_t patient_;
    std::vector<CloneState> clones_;
    struct Lineage {  // compact: clone indices instead of names, one per founding event
        std::uint16_t clone = 0;
        std::uint16_t parent_clone = 0xFFFF;
        std::int32_t agents = 0;          // agents of the lineage now (one record per event touched)
        double founding_day = 0.0;
        std::uint64_t founding_cell = 0;  // 0: none
        double peak_cells = 0.0;
        double extinction_day = -1.0;     // < 0: not extinct
        double cells = 0.0;
    };
    std::vector<Lineage, agents::RecyclingAllocator<Lineage>> lineages_;
    std::vector<std::int64_t> pooled_lineage_;   // per clone: its pooled record (-1: none yet)
    std::vector<std::int64_t> pooled_events_;    // per clone: founding events in that record
    HybridBounds bounds_;
    std::int64_t to_agents_count_ = 0, to_ode_count_ = 0;
    patient::TumourRates rates_;          // copy of the model's rates for one synchronisation
    std::vector<double> division_scratch_;
    std::vector<double> log_upper_edges_;  // log of the density grid's upper bin edges
    hybrid::BinChannels cart_channels_;   // rates of the CAR-T product being stepped
    mutable std::vector<hybrid::Channel> scratch_channels_;  // one bin's channels in fastest_agent_rate
    hybrid::LeapWorkspace workspace_;     // reused by every leap
    std::uint64_t next_id_ = 1;
    std::uint32_t sync_count_ = 0;
    double last_sync_ = 0.0;       // agents are advanced up to here
    patient::State reference_;     // the ODE state at last_sync_ (empty: none; the end state is used)
    patient::State leap_state_;    // the ODE state at a leap, agents written in
    double last_mutant_draw_ = 0.0;  // mutants of ODE clones are drawn up to here
    bool agents_ahead_of_ode_ = false;  // advanced at an output time, not yet written into the ODE state
    std::vector<hybrid::ToAgentsRecord> to_agents_;
    std::vector<hybrid::ToOdeRecord> to_ode_;
    std::vector<std::pair<std::size_t, agents::Agent>> mutants_;  // (route, cell) born in agent divisions
    hybrid::LeapStats stats_;
};

}  // namespace cartsim::simulate
