#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "src/config/params.hpp"
#include "src/config/reader.hpp"
#include "src/config/writer.hpp"
#include "toy_params.hpp"

using namespace cartsim::config;
using namespace cartsim::config::toy;

namespace {

// A patient whose every field differs from the default, with awkward doubles and strings.
Patient unusual_patient() {
    Patient p;
    p.response_probability = 1.0 / 3.0;
    p.age_years = 81;
    p.high_risk = true;
    p.label = "true";  // a string that looks like a bool must stay a string
    p.relapse_day = 1e-300;
    p.law = Law::Exponential;
    p.start = StartDay{false, 0.1};
    p.doses = {0.1, 2.0 / 3.0, 99.99999999999999};
    p.tags = {"1.5", "", "null", "a: b", "- x", "plain"};
    p.laws = {Law::Logistic, Law::Gompertz};
    p.growth = Growth{std::nextafter(0.012, 1.0), Law::Exponential, {}};
    p.clones = {Clone{"bcma_neg", 0.05, 16}, Clone{"bcma_pos", 0.95, 1}};
    Therapy cart;
    cart.product = "cilta-cel";
    cart.cart = CartFields{0.75e6, false};
    Therapy drug;
    drug.kind = TherapyKind::Drug;
    drug.product = "teclistamab";
    drug.drug = DrugFields{1.5, 123.25};
    p.therapies = {cart, drug};
    return p;
}

Patient round_trip(const Patient& patient) {
    const std::string text = to_yaml_string(write_struct(patient));
    CAPTURE(text);
    auto node = load_yaml_string(text, "resolved.yaml");
    REQUIRE(node.ok());
    auto read = read_struct(node.value(), "", Patient{});
    CAPTURE(format_errors(read.errors()));
    REQUIRE(read.ok());
    return read.value();
}

const Node* find_path(const Node& root, const std::string& key_path) {
    const Node* node = &root;
    std::size_t start = 0;
    while (node && start <= key_path.size()) {
        const std::size_t dot = std::min(key_path.find('.', start), key_path.size());
        node = node->find(key_path.substr(start, dot - start));
        start = dot + 1;
    }
    return node;
}

}  // namespace

TEST_CASE("config: every key round-trips through write, YAML text, load and read") {
    const Patient patient = unusual_patient();
    CHECK(round_trip(patient) == patient);
    CHECK(round_trip(Patient{}) == Patient{});

    // The writer emits every key the lister knows (list entries aside), defaults included.
    const Node written = write_struct(Patient{});
    Patient defaults;
    for (const ParamRow& row : list_params(defaults, "")) {
        if (row.key_path.find("[]") != std::string::npos) continue;
        CAPTURE(row.key_path);
        CHECK(find_path(written, row.key_path) != nullptr);
    }
}

TEST_CASE("config: both variants of a polymorphic entry round-trip and write only their own keys") {
    const Patient patient = unusual_patient();
    const Node written = write_struct(patient);
    const Node& therapies = *written.find("therapies");
    REQUIRE(therapies.items.size() == 2);
    CHECK(therapies.items[0].find("dose_cells") != nullptr);
    CHECK(therapies.items[0].find("dose_mg") == nullptr);
    CHECK(therapies.items[1].find("dose_mg") != nullptr);
    CHECK(therapies.items[1].find("lymphodepletion") == nullptr);
    const Patient back = round_trip(patient);
    CHECK(back.therapies[0] == patient.therapies[0]);
    CHECK(back.therapies[1] == patient.therapies[1]);
}

TEST_CASE("config: doubles are written in shortest exact form") {
    const double values[] = {0.1, 1.0 / 3.0, 450e6, 1e20, 5e-324, -0.0, std::numeric_limits<double>::max()};
    for (const double value : values) {
        CAPTURE(value);
        const auto parsed = parse_number(format_number(value));
        REQUIRE(parsed.has_value());
        CHECK(std::signbit(*parsed) == std::signbit(value));
        CHECK(*parsed == value);
    }
    CHECK(format_number(450e6) == "450000000");
    CHECK(format_number(0.012) == "0.012");
}

TEST_CASE("config: YAML text quotes strings that would read back as other types") {
    Node root = Node::map();
    root.set("flag", Node::quoted("true"));
    root.set("number", Node::quoted("1.5"));
    root.set("word", Node::quoted("logistic"));
    root.set("missing", Node::null());
    root.set("list", Node::sequence());
    root.find("list")->items = {Node::scalar("1"), Node::scalar("2.5")};
    CHECK(to_yaml_string(root) == "flag: \"true\"\nnumber: \"1.5\"\nword: logistic\nmissing: null\nlist: [1, 2.5]\n");
    CHECK(to_flow_string(root) == "{flag: \"true\", number: \"1.5\", word: logistic, missing: null, list: [1, 2.5]}");
}

TEST_CASE("config: to_json keeps numbers, bools and null typed and quoted strings as strings") {
    const Node written = write_struct(unusual_patient());
    const nlohmann::json json = to_json(written);
    CHECK(json["age_years"] == 81);
    CHECK(json["age_years"].is_number_integer());
    CHECK(json["response_probability"].get<double>() == 1.0 / 3.0);
    CHECK(json["high_risk"] == true);
    CHECK(json["label"] == "true");
    CHECK(json["tags"][0] == "1.5");
    CHECK(json["growth"]["checkpoints_days"].is_array());
    CHECK(json["therapies"][1]["stop_day"].get<double>() == 123.25);
    CHECK(json["therapies"][0]["product"] == "cilta-cel");
    CHECK(to_json(write_struct(Patient{}))["relapse_day"].is_null());
    CHECK(json["law"] == "exponential");
}
