// The only file that sees yaml-cpp's parser: it copies yaml-cpp's tree into our Node with origins.
#include <filesystem>
#include <fstream>
#include <iterator>

#include <fmt/format.h>
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

}  // namespace

Result<Node> load_yaml_string(std::string_view text, const std::string& origin_name) {
    std::vector<YAML::Node> documents;
    try {
        documents = YAML::LoadAll(std::string(text));
    } catch (const YAML::Exception& e) {
        const Origin where =
            e.mark.is_null() ? Origin{origin_name, 0, 0} : Origin{origin_name, e.mark.line + 1, e.mark.column + 1};
        return make_error(where, "", "malformed YAML: " + e.msg);
    }
    if (documents.empty()) return Node::null(Origin{origin_name, 1, 1});
    if (documents.size() > 1) {
        return make_error(Origin{origin_name, 0, 0}, "",
                          fmt::format("expected one YAML document, found {} (separated by '---')", documents.size()));
    }
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
