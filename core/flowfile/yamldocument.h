#pragma once

// One YAML document read by libyaml into a small read-only tree with positions, for the flow
// file loaders: libyaml reads several times faster than yaml-cpp (the README asks for 500 files
// in 250 ms) and reports an unterminated quote at the end of the file. A value of the thread
// that made it; YamlNode refers into its YamlDocument and must not outlive it.

#include <type_traits>
#include <utility>
#include <vector>

#include <QByteArray>
#include <QList>
#include <QString>

#include "flowfile/flowdefinition.h"

namespace Sluice {

class YamlDocument;

class YamlNode
{
public:
    enum class Type { Undefined, Null, Scalar, Sequence, Map };

    YamlNode() = default; // undefined: what a missing key gives

    Type type() const;
    bool isDefined() const { return type() != Type::Undefined; }
    bool isNull() const { return type() == Type::Null; }
    bool isScalar() const { return type() == Type::Scalar; }
    bool isSequence() const { return type() == Type::Sequence; }
    bool isMap() const { return type() == Type::Map; }
    explicit operator bool() const { return isDefined(); }

    // A scalar's value (quotes and escapes resolved); empty for the other types.
    QString text() const;
    // Whether a scalar was written in quotes: "1000" is text, 1000 a number.
    bool isQuoted() const;
    // 1-based line and column (bytes); invalid for an undefined node.
    SourcePosition position() const;

    // The items of a sequence or the entries (key, value) of a map, in file order, as ranges
    // for `for`: no allocation.
    template <bool Entries> class Range;
    qsizetype size() const; // items of a sequence, entries of a map
    Range<false> items() const;
    Range<true> entries() const;
    // The value of the first entry whose key is `key`; undefined when there is none.
    YamlNode operator[](const char *key) const;

private:
    friend class YamlDocument;
    YamlNode(const YamlDocument *document, int index)
        : m_document(document)
        , m_index(index)
    { }

    const YamlDocument *m_document = nullptr;
    int m_index = -1;
};

template <bool Entries> class YamlNode::Range
{
public:
    using Value = std::conditional_t<Entries, std::pair<YamlNode, YamlNode>, YamlNode>;
    class Iterator
    {
    public:
        Iterator(const YamlDocument *document, const int *at)
            : m_document(document)
            , m_at(at)
        { }
        Value operator*() const
        {
            if constexpr (Entries)
                return { YamlNode(m_document, m_at[0]), YamlNode(m_document, m_at[1]) };
            else
                return YamlNode(m_document, *m_at);
        }
        Iterator &operator++()
        {
            m_at += Entries ? 2 : 1;
            return *this;
        }
        bool operator!=(const Iterator &other) const { return m_at != other.m_at; }

    private:
        const YamlDocument *m_document;
        const int *m_at;
    };

    Range(const YamlDocument *document, const int *begin, const int *end)
        : m_document(document)
        , m_begin(begin)
        , m_end(end)
    { }
    Iterator begin() const { return { m_document, m_begin }; }
    Iterator end() const { return { m_document, m_end }; }

private:
    const YamlDocument *m_document;
    const int *m_begin;
    const int *m_end;
};

class YamlDocument
{
public:
    static constexpr int MaximumNesting = 100; // of `[` and `{`
    // Where each line of source starts, as YAML counts lines: CR LF, a lone CR and LF each
    // end one (libyaml's marks count so).
    static std::vector<qsizetype> lineStarts(const QByteArray &source);

    // Reads the first document of source; false with syntaxError() set when it is not YAML.
    bool parse(const QByteArray &source);

    YamlNode root() const { return m_nodes.empty() ? YamlNode() : YamlNode(this, 0); }
    SourcePosition errorPosition() const { return m_errorPosition; }
    QString errorMessage() const { return m_errorMessage; }

    YamlDocument() = default;
    YamlDocument(const YamlDocument &) = delete; // nodes point at their document
    YamlDocument &operator=(const YamlDocument &) = delete;

private:
    friend class YamlNode;
    struct Node
    {
        YamlNode::Type type = YamlNode::Type::Null;
        bool quoted = false;
        QString text;
        SourcePosition position;
        std::vector<int> children; // items, or key and value after each other
    };

    SourcePosition position(size_t line, size_t column) const;
    SourcePosition positionOfOffset(size_t offset) const;

    QByteArray m_source;
    std::vector<qsizetype> m_lineStarts;
    std::vector<Node> m_nodes;
    SourcePosition m_errorPosition;
    QString m_errorMessage;
};

} // namespace Sluice
