// The only file that sees yaml-cpp's parser: it copies yaml-cpp's tree into our Node with origins.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <fmt/format.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include "src/config/node.hpp"

namespace cartsim::config {

namespace {

struct Converter {
    const std::string& file;
    std::vector<ConfigError>& errors;

    Origin origin_of(const YAML::Mark& mark, const Origin& fallback) const {
        if (mark.is_null()) return fallback;
        return Origin{file, mark.line + 1, mark.column + 1};
    }

    static std::string join(const std::string& path, const std::string& key) {
        return path.empty() ? key : path + "." + key;
    }

    Node convert(const YAML::Node& in, const Origin& origin, const std::string& path) const {
        switch (in.Type()) {
        case YAML::NodeType::Scalar: {
            Node out = Node::scalar(in.Scalar(), origin);
            // "?" marks a plain scalar; "!" a quoted one; "!!str" asks for a string explicitly.
            out.plain = in.Tag() != "!" && in.Tag() != "tag:yaml.org,2002:str";
            return out;
        }
        case YAML::NodeType::Sequence: {
            Node out = Node::sequence(origin);
            std::size_t index = 0;
            for (const auto& item : in) {
                out.items.push_back(convert(item, origin_of(item.Mark(), origin), fmt::format("{}[{}]", path, index)));
                ++index;
            }
            return out;
        }
        case YAML::NodeType::Map: return convert_map(in, origin, path);
        case YAML::NodeType::Null:
        case YAML::NodeType::Undefined: break;
        }
        return Node::null(origin);
    }

    Node convert_map(const YAML::Node& in, const Origin& origin, const std::string& path) const {
        Node out = Node::map(origin);
        for (auto it = in.begin(); it != in.end(); ++it) {
            const Origin key_origin = origin_of(it->first.Mark(), origin);
            if (!it->first.IsScalar()) {
                errors.push_back(make_error(key_origin, path, "a map key must be plain text, not a list or map"));
                continue;
            }
            const std::string key = it->first.Scalar();
            const std::string key_path = join(path, key);
            if (const MapEntry* first = out.find_entry(key)) {
                errors.push_back(make_error(
                    key_origin, key_path,
                    fmt::format("duplicate key '{}' (first given at line {})", key, first->key_origin.line)));
                continue;
            }
            Origin value_origin = origin_of(it->second.Mark(), key_origin);
            // yaml-cpp places an empty value ("key:") on the following line; the key's line is clearer.
            if (it->second.IsNull() && value_origin.line > key_origin.line) value_origin = key_origin;
            out.entries.push_back(MapEntry{key, key_origin, convert(it->second, value_origin, key_path)});
        }
        return out;
    }
};

/// A problem the guard found, thrown out of yaml-cpp's parser to stop it at once.
struct Rejected {
    YAML::Mark mark;
    std::string message;
};

/// Reads the event stream before any tree is built and stops what yaml-cpp 0.7 would not survive: a
/// document that consumes nothing (a lone ',' makes LoadAll loop forever, its memory growing), an
/// alias inside the node it names (a cycle: the tree would be infinite), nesting deeper than
/// kMaxDepth, and more than kMaxValues values once every alias is expanded (nested aliases can
/// multiply a few lines into gigabytes). Scenario files hold hundreds of values and nest a few levels.
class Guard : public YAML::EventHandler {
public:
    static constexpr int kMaxDepth = 64;
    static constexpr double kMaxValues = 100000;
    static constexpr int kMaxDocuments = 100;
    /// Every node keeps its origin's name (the file, or a whole --set override) for messages, so a
    /// long name times many values is bounded too: a 2 kB --set whose aliases expanded to 82,000
    /// values took 3.9 s and 370 MB. Fuzz builds lower it so that a large legal input is not a hang.
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
    static constexpr double kMaxOriginBytes = 8e6;
#else
    static constexpr double kMaxOriginBytes = 64e6;
#endif

    std::vector<YAML::Mark> document_starts;  // the first event's mark of each document

    /// Values seen so far, aliases expanded.
    double values() const { return values_; }

    void OnDocumentStart(const YAML::Mark&) override { first_event_ = true; }
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { value(mark, anchor); }
    void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor, const std::string&) override {
        value(mark, anchor);
    }
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
        start(mark);
        for (const Open& o : open_)
            if (o.anchor == anchor)
                throw Rejected{mark, "an alias inside the node its anchor names (a cycle): the value would never end"};
        const auto size = sizes_.find(anchor);
        count(mark, size == sizes_.end() ? 1.0 : size->second);
    }
    void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                         YAML::EmitterStyle::value) override {
        enter(mark, anchor);
    }
    void OnSequenceEnd() override { leave(); }
    void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                    YAML::EmitterStyle::value) override {
        enter(mark, anchor);
    }
    void OnMapEnd() override { leave(); }

private:
    struct Open {
        YAML::anchor_t anchor;
        double values_before;
    };
    void start(const YAML::Mark& mark) {
        if (!first_event_) return;
        first_event_ = false;
        if (!document_starts.empty() && document_starts.back().pos == mark.pos)
            throw Rejected{mark, "a character where a value should begin (yaml-cpp cannot read past it)"};
        document_starts.push_back(mark);
        if (document_starts.size() > kMaxDocuments) throw Rejected{mark, "too many YAML documents"};
    }
    void count(const YAML::Mark& mark, double n) {
        values_ += n;
        if (values_ > kMaxValues)
            throw Rejected{mark, fmt::format("more than {:.0f} values once aliases are expanded", kMaxValues)};
    }
    void value(const YAML::Mark& mark, YAML::anchor_t anchor) {
        start(mark);
        count(mark, 1.0);
        if (anchor) sizes_[anchor] = 1.0;
    }
    void enter(const YAML::Mark& mark, YAML::anchor_t anchor) {
        start(mark);
        if (static_cast<int>(open_.size()) >= kMaxDepth)
            throw Rejected{mark, fmt::format("nested deeper than {} levels", kMaxDepth)};
        open_.push_back({anchor, values_});
        count(mark, 1.0);
    }
    void leave() {
        const Open o = open_.back();
        open_.pop_back();
        if (o.anchor) sizes_[o.anchor] = values_ - o.values_before;
    }

    bool first_event_ = false;
    double values_ = 0.0;
    std::vector<Open> open_;
    std::map<YAML::anchor_t, double> sizes_;
};

Origin origin_at(const std::string& name, const YAML::Mark& mark) {
    return mark.is_null() ? Origin{name, 0, 0} : Origin{name, mark.line + 1, mark.column + 1};
}

}  // namespace

Result<Node> load_yaml_string(std::string_view text, const std::string& origin_name) {
    std::vector<YAML::Node> documents;
    try {
        std::istringstream stream{std::string(text)};
        YAML::Parser parser(stream);
        Guard guard;
        while (parser.HandleNextDocument(guard)) {
        }
        if (const double bytes = guard.values() * double(origin_name.size()); bytes > Guard::kMaxOriginBytes) {
            return make_error(Origin{origin_name, 0, 0}, "",
                              fmt::format("{:.0f} values, each labelled with this {}-character origin for messages, would "
                                          "take {:.3g} MB, more than {:.0f} MB: shorten it or give fewer values",
                                          guard.values(), origin_name.size(), bytes / 1e6, Guard::kMaxOriginBytes / 1e6));
        }
        if (guard.document_starts.size() > 1) {
            return make_error(Origin{origin_name, 0, 0}, "",
                              fmt::format("expected one YAML document, found {} (separated by '---')",
                                          guard.document_starts.size()));
        }
        if (!guard.document_starts.empty()) documents.push_back(YAML::Load(std::string(text)));
    } catch (const Rejected& r) {
        return make_error(origin_at(origin_name, r.mark), "", "malformed YAML: " + r.message);
    } catch (const YAML::Exception& e) {
        return make_error(origin_at(origin_name, e.mark), "", "malformed YAML: " + e.msg);
    }
    if (documents.empty()) return Node::null(Origin{origin_name, 1, 1});
    std::vector<ConfigError> errors;
    const Converter converter{origin_name, errors};
    Node root =
        converter.convert(documents.front(), converter.origin_of(documents.front().Mark(), {origin_name, 1, 1}), "");
    if (!errors.empty()) return errors;
    return root;
}

Result<Node> load_yaml_file(const std::string& path) {
    const Origin file_origin{path, 0, 0};
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return make_error(file_origin, "", "file not found");
    if (std::filesystem::is_directory(path, ec)) return make_error(file_origin, "", "is a directory, not a file");
    std::ifstream in(path, std::ios::binary);
    if (!in.is_open()) return make_error(file_origin, "", "cannot open file (check its permissions)");
    const std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) return make_error(file_origin, "", "cannot read file");
    return load_yaml_string(content, path);
}

}  // namespace cartsim::config
