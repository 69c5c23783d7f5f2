#pragma once
// Writes a described struct back to a Node: every field, defaults included, in describe() order.
// Together with to_yaml_string() this produces the resolved scenario, which reads back to the same struct.

#include <string>
#include <string_view>
#include <vector>

#include "model/common/describe.hpp"
#include "src/config/emit.hpp"
#include "src/config/node.hpp"
#include "src/config/scalar.hpp"

namespace cartsim::config {

template <class S>
Node write_struct(const S& s);

namespace detail {

template <NamedEnum E>
Node to_node(E value) {
    return Node::scalar(std::string(enum_name(value)));
}

template <CodecScalar T>
Node to_node(const T& value) {
    return Node::scalar(ScalarCodec<T>::format(value));
}

template <class T>
Node to_node(const std::vector<T>& values) {
    Node out = Node::sequence();
    for (const auto& value : values) out.items.push_back(to_node(value));
    return out;
}

}  // namespace detail

/// The visitor handed to describe(); use write_struct() rather than this class directly.
class Writer {
public:
    explicit Writer(Node& map_node) : map_(map_node) {}

    template <class T>
    void field(std::string_view key, T& value, const FieldInfo&) {
        map_.set(std::string(key), detail::to_node(value));
    }

    template <class S>
    void section(std::string_view key, S& sub) {
        map_.set(std::string(key), write_struct(sub));
    }

    template <class S>
    void list(std::string_view key, std::vector<S>& items) {
        Node sequence = Node::sequence();
        for (const auto& item : items) sequence.items.push_back(write_struct(item));
        map_.set(std::string(key), std::move(sequence));
    }

private:
    Node& map_;
};

/// A map node holding every field of `s`.
template <class S>
Node write_struct(const S& s) {
    S copy = s;  // describe() takes a mutable reference because readers share it
    Node out = Node::map();
    Writer writer(out);
    describe(copy, writer);
    return out;
}

}  // namespace cartsim::config
