#include "flowfile/yamldocument.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include <QCoreApplication>
#include <QHash>

#include <yaml.h>

namespace Sluice {

namespace {

    // Owns a libyaml parser or event for the scope.
    struct ParserGuard
    {
        yaml_parser_t *parser;
        ~ParserGuard() { yaml_parser_delete(parser); }
    };
    struct EventGuard
    {
        yaml_event_t *event;
        ~EventGuard() { yaml_event_delete(event); }
    };

    bool isNullText(const char *value, size_t length)
    {
        const QByteArray text(value, qsizetype(length));
        return text.isEmpty() || text == "~" || text == "null" || text == "Null" || text == "NULL";
    }

} // namespace

YamlNode::Type YamlNode::type() const
{
    return m_document ? m_document->m_nodes[size_t(m_index)].type : Type::Undefined;
}

QString YamlNode::text() const
{
    return isScalar() ? m_document->m_nodes[size_t(m_index)].text : QString();
}

bool YamlNode::isQuoted() const
{
    return m_document && m_document->m_nodes[size_t(m_index)].quoted;
}

SourcePosition YamlNode::position() const
{
    return m_document ? m_document->m_nodes[size_t(m_index)].position : SourcePosition();
}

qsizetype YamlNode::size() const
{
    if (!m_document)
        return 0;
    const auto &node = m_document->m_nodes[size_t(m_index)];
    return qsizetype(node.type == Type::Map ? node.children.size() / 2 : node.children.size());
}

YamlNode::Range<false> YamlNode::items() const
{
    if (!isSequence())
        return { nullptr, nullptr, nullptr };
    const std::vector<int> &children = m_document->m_nodes[size_t(m_index)].children;
    return { m_document, children.data(), children.data() + children.size() };
}

YamlNode::Range<true> YamlNode::entries() const
{
    if (!isMap())
        return { nullptr, nullptr, nullptr };
    const std::vector<int> &children = m_document->m_nodes[size_t(m_index)].children;
    return { m_document, children.data(), children.data() + (children.size() & ~size_t(1)) };
}

YamlNode YamlNode::operator[](const char *key) const
{
    if (!isMap())
        return {};
    const QLatin1String wanted(key);
    const std::vector<int> &children = m_document->m_nodes[size_t(m_index)].children;
    for (size_t i = 0; i + 1 < children.size(); i += 2) {
        const auto &candidate = m_document->m_nodes[size_t(children[i])];
        if (candidate.type == Type::Scalar && candidate.text == wanted)
            return YamlNode(m_document, children[i + 1]);
    }
    return {};
}

SourcePosition YamlDocument::position(size_t line, size_t column) const
{
    // libyaml counts characters; messages count bytes, as the checker's columns do.
    if (line >= m_lineStarts.size())
        return { int(line + 1), int(column + 1) };
    qsizetype at = m_lineStarts[line];
    for (size_t n = 0; n < column && at < m_source.size(); ++n) {
        const uchar lead = uchar(m_source.at(at));
        at += lead < 0x80 ? 1 : lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
    }
    return { int(line + 1), int(at - m_lineStarts[line] + 1) };
}

SourcePosition YamlDocument::positionOfOffset(size_t offset) const
{
    const auto next =
        std::upper_bound(m_lineStarts.cbegin(), m_lineStarts.cend(), qsizetype(offset));
    const size_t line = size_t(next - m_lineStarts.cbegin() - 1);
    return { int(line + 1), int(qsizetype(offset) - m_lineStarts[line] + 1) };
}

std::vector<qsizetype> YamlDocument::lineStarts(const QByteArray &source)
{
    std::vector<qsizetype> starts{ 0 };
    for (qsizetype i = 0; i < source.size(); ++i) {
        const char c = source.at(i);
        if (c == '\n' || (c == '\r' && (i + 1 == source.size() || source.at(i + 1) != '\n')))
            starts.push_back(i + 1);
    }
    return starts;
}

bool YamlDocument::parse(const QByteArray &source)
{
    m_source = source;
    m_nodes.clear();
    m_lineStarts = lineStarts(source);

    // libyaml slows down with the square of the depth of `[` and `{`: a hostile file of
    // 1 MiB of `[` would take minutes. Brackets inside texts count too, which only matters
    // for a text with dozens of unbalanced ones.
    int depth = 0;
    for (qsizetype i = 0; i < source.size(); ++i) {
        const char c = source.at(i);
        depth += (c == '[' || c == '{') ? 1 : (c == ']' || c == '}') ? -1 : 0;
        if (depth > MaximumNesting) {
            m_errorPosition = positionOfOffset(size_t(i));
            m_errorMessage =
                QCoreApplication::translate("Sluice::FlowFile", "YAML nested deeper than %1 levels")
                    .arg(MaximumNesting);
            return false;
        }
    }

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        m_errorMessage = QCoreApplication::translate("Sluice::FlowFile", "out of memory");
        return false;
    }
    ParserGuard parserGuard{ &parser };
    yaml_parser_set_input_string(&parser,
        reinterpret_cast<const unsigned char *>(source.constData()), size_t(source.size()));

    std::vector<int> open; // the sequences and maps being read
    QHash<QByteArray, int> anchors;
    const auto add = [&](Node node, const yaml_char_t *anchor) {
        const int index = int(m_nodes.size());
        m_nodes.push_back(std::move(node));
        if (!open.empty())
            m_nodes[size_t(open.back())].children.push_back(index);
        if (anchor)
            anchors.insert(QByteArray(reinterpret_cast<const char *>(anchor)), index);
        return index;
    };

    bool documentSeen = false;
    for (;;) {
        yaml_event_t event;
        if (!yaml_parser_parse(&parser, &event)) {
            const QString problem = QString::fromUtf8(parser.problem ? parser.problem : "");
            if (parser.error == YAML_READER_ERROR) {
                m_errorPosition = positionOfOffset(parser.problem_offset);
                m_errorMessage =
                    QCoreApplication::translate("Sluice::FlowFile", "YAML syntax: %1").arg(problem);
            } else if (parser.context
                && std::strcmp(parser.context, "while scanning a quoted scalar") == 0
                && std::strcmp(parser.problem, "found unexpected end of stream") == 0) {
                m_errorPosition = position(parser.context_mark.line, parser.context_mark.column);
                const QByteArray at = source.mid(
                    m_lineStarts[std::min(parser.context_mark.line, m_lineStarts.size() - 1)]
                        + m_errorPosition.column - 1,
                    1);
                m_errorMessage = QCoreApplication::translate(
                    "Sluice::FlowFile", "unterminated quoted text: the closing %1 is missing")
                                     .arg(QString::fromLatin1(at.isEmpty() ? "\"" : at));
            } else {
                m_errorPosition = position(parser.problem_mark.line, parser.problem_mark.column);
                m_errorMessage = parser.context
                    ? QCoreApplication::translate("Sluice::FlowFile", "YAML syntax: %1 (%2)")
                          .arg(problem, QString::fromUtf8(parser.context))
                    : QCoreApplication::translate("Sluice::FlowFile", "YAML syntax: %1")
                          .arg(problem);
            }
            m_nodes.clear();
            return false;
        }
        EventGuard eventGuard{ &event };
        const SourcePosition at = position(event.start_mark.line, event.start_mark.column);
        switch (event.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (documentSeen)
                return true; // the first document only
            documentSeen = true;
            break;
        case YAML_STREAM_END_EVENT:
            if (m_nodes.empty())
                m_nodes.push_back(Node{ YamlNode::Type::Null, false, {}, { 1, 1 }, {} });
            return true;
        case YAML_SCALAR_EVENT: {
            const auto &scalar = event.data.scalar;
            const char *value = reinterpret_cast<const char *>(scalar.value);
            const bool plain = scalar.style == YAML_PLAIN_SCALAR_STYLE;
            Node node;
            node.position = at;
            node.quoted = scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE
                || scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
            if (plain && !scalar.tag && isNullText(value, scalar.length)) {
                node.type = YamlNode::Type::Null;
            } else {
                node.type = YamlNode::Type::Scalar;
                node.text = QString::fromUtf8(value, qsizetype(scalar.length));
            }
            add(std::move(node), scalar.anchor);
            break;
        }
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT: {
            Node node;
            node.position = at;
            node.type = event.type == YAML_MAPPING_START_EVENT ? YamlNode::Type::Map
                                                               : YamlNode::Type::Sequence;
            const yaml_char_t *anchor = event.type == YAML_MAPPING_START_EVENT
                ? event.data.mapping_start.anchor
                : event.data.sequence_start.anchor;
            open.push_back(add(std::move(node), anchor));
            break;
        }
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            open.pop_back();
            break;
        case YAML_ALIAS_EVENT: {
            const auto found = anchors.constFind(
                QByteArray(reinterpret_cast<const char *>(event.data.alias.anchor)));
            if (found == anchors.cend()) {
                m_errorPosition = at;
                m_errorMessage = QCoreApplication::translate(
                    "Sluice::FlowFile", "YAML syntax: unknown alias *%1")
                                     .arg(QString::fromUtf8(
                                         reinterpret_cast<const char *>(event.data.alias.anchor)));
                m_nodes.clear();
                return false;
            }
            // An alias reads as a copy of its anchor's node, without its children: a flow
            // file has no use for shared structure, and a copy cannot make a cycle.
            Node copy = m_nodes[size_t(*found)];
            copy.position = at;
            if (copy.type == YamlNode::Type::Map || copy.type == YamlNode::Type::Sequence) {
                m_errorPosition = at;
                m_errorMessage = QCoreApplication::translate("Sluice::FlowFile",
                    "aliases of maps and lists are not supported in flow files");
                m_nodes.clear();
                return false;
            }
            add(std::move(copy), nullptr);
            break;
        }
        default:
            break;
        }
    }
}

} // namespace Sluice
