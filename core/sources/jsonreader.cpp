#include "sources/jsonreader.h"

#include <QCoreApplication>

#include "sources/jsonpointer.h"

namespace Sluice {

namespace {

    bool isDigit(char c)
    {
        return c >= '0' && c <= '9';
    }

    int hexValue(char c)
    {
        if (c >= '0' && c <= '9')
            return c - '0';
        if (c >= 'a' && c <= 'f')
            return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
            return c - 'A' + 10;
        return -1;
    }

    void appendUtf8(QByteArray &out, char32_t code)
    {
        if (code < 0x80) {
            out += char(code);
        } else if (code < 0x800) {
            out += char(0xC0 | (code >> 6));
            out += char(0x80 | (code & 0x3F));
        } else if (code < 0x10000) {
            out += char(0xE0 | (code >> 12));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        } else {
            out += char(0xF0 | (code >> 18));
            out += char(0x80 | ((code >> 12) & 0x3F));
            out += char(0x80 | ((code >> 6) & 0x3F));
            out += char(0x80 | (code & 0x3F));
        }
    }

    // Recursive descent over the bytes; the first error stops everything.
    class Parser
    {
    public:
        explicit Parser(QByteArrayView document)
            : m_begin(document.data())
            , m_at(document.data())
            , m_end(document.data() + document.size())
        { }

        // Hands each element of the array at pointer to element instead of keeping it.
        void streamArray(const JsonPointer &pointer, const JsonReader::ElementFunction &element)
        {
            m_streamPointer = &pointer;
            m_onElement = &element;
        }

        Result<JsonNode> run()
        {
            if (m_end - m_at >= 3 && m_at[0] == '\xEF' && m_at[1] == '\xBB' && m_at[2] == '\xBF')
                m_at += 3;
            JsonNode root;
            skipSpace();
            if (m_at == m_end) {
                fail(QCoreApplication::translate("Sluice::JsonReader", "the document is empty"));
                return m_error;
            }
            if (!value(root, 0, m_streamPointer ? 0 : -1))
                return m_error;
            skipSpace();
            if (m_at != m_end) {
                fail(QCoreApplication::translate(
                    "Sluice::JsonReader", "unexpected data after the JSON value"));
                return m_error;
            }
            if (m_streamPointer && !m_streamed) {
                return Error{ QCoreApplication::translate("Sluice::JsonReader",
                                  "the document has no value at the JSON pointer \"%1\"")
                                  .arg(m_streamPointer->toString()),
                    {}, ErrorCode::Permanent };
            }
            return root;
        }

    private:
        bool fail(const QString &why)
        {
            m_error = Error{ QCoreApplication::translate(
                                 "Sluice::JsonReader", "invalid JSON at offset %1: %2")
                                 .arg(m_at - m_begin)
                                 .arg(why),
                {} };
            return false;
        }

        bool failAtEnd()
        {
            return fail(
                QCoreApplication::translate("Sluice::JsonReader", "unexpected end of data"));
        }

        bool failUnexpected(const QString &expected)
        {
            if (m_at == m_end)
                return failAtEnd();
            const char c = *m_at;
            const QString seen = (c >= 0x20 && c < 0x7F)
                ? QStringLiteral("'%1'").arg(QLatin1Char(c))
                : QStringLiteral("0x%1").arg(uchar(c), 2, 16, QLatin1Char('0'));
            return fail(QCoreApplication::translate("Sluice::JsonReader", "expected %1, found %2")
                            .arg(expected, seen));
        }

        void skipSpace()
        {
            while (
                m_at != m_end && (*m_at == ' ' || *m_at == '\t' || *m_at == '\n' || *m_at == '\r'))
                ++m_at;
        }

        bool literal(const char *word, JsonNode &node, JsonNode::Type type, bool boolean)
        {
            const char *at = m_at;
            for (const char *w = word; *w; ++w, ++at) {
                if (at == m_end) {
                    m_at = at;
                    return failAtEnd();
                }
                if (*at != *w)
                    return fail(QCoreApplication::translate(
                        "Sluice::JsonReader", "invalid literal, expected %1")
                                    .arg(QLatin1String(word)));
            }
            m_at = at;
            node.type = type;
            node.boolean = boolean;
            return true;
        }

        // matched: how many tokens of the stream pointer the path to this value matches, or
        // -1 when it left that path (or nothing is streamed).
        bool value(JsonNode &node, int depth, int matched = -1)
        {
            if (m_at == m_end)
                return failAtEnd();
            node.offset = m_at - m_begin;
            if (matched >= 0 && matched == m_streamPointer->tokens().size()) {
                if (*m_at != '[') {
                    JsonNode found;
                    if (!value(found, depth))
                        return false;
                    m_error = Error{ QCoreApplication::translate("Sluice::JsonReader",
                                         "the value at the JSON pointer \"%1\" is %2, "
                                         "expected an array")
                                         .arg(m_streamPointer->toString(), found.typeName()),
                        {}, ErrorCode::Permanent };
                    return false;
                }
                return streamedArray(node, depth + 1);
            }
            switch (*m_at) {
            case '{':
                return object(node, depth + 1, matched);
            case '[':
                return array(node, depth + 1, matched);
            case '"':
                node.type = JsonNode::Type::String;
                return string(node.text);
            case 't':
                return literal("true", node, JsonNode::Type::Boolean, true);
            case 'f':
                return literal("false", node, JsonNode::Type::Boolean, false);
            case 'n':
                return literal("null", node, JsonNode::Type::Null, false);
            default:
                if (*m_at == '-' || isDigit(*m_at))
                    return number(node);
                return failUnexpected(
                    QCoreApplication::translate("Sluice::JsonReader", "a JSON value"));
            }
        }

        bool number(JsonNode &node)
        {
            const char *start = m_at;
            if (*m_at == '-')
                ++m_at;
            if (m_at == m_end)
                return failAtEnd();
            if (*m_at == '0') {
                ++m_at;
            } else if (isDigit(*m_at)) {
                while (m_at != m_end && isDigit(*m_at))
                    ++m_at;
            } else {
                return failUnexpected(QCoreApplication::translate("Sluice::JsonReader", "a digit"));
            }
            if (m_at != m_end && *m_at == '.') {
                ++m_at;
                if (m_at == m_end || !isDigit(*m_at))
                    return failUnexpected(QCoreApplication::translate(
                        "Sluice::JsonReader", "a digit after the decimal point"));
                while (m_at != m_end && isDigit(*m_at))
                    ++m_at;
            }
            if (m_at != m_end && (*m_at == 'e' || *m_at == 'E')) {
                ++m_at;
                if (m_at != m_end && (*m_at == '+' || *m_at == '-'))
                    ++m_at;
                if (m_at == m_end || !isDigit(*m_at))
                    return failUnexpected(QCoreApplication::translate(
                        "Sluice::JsonReader", "a digit in the exponent"));
                while (m_at != m_end && isDigit(*m_at))
                    ++m_at;
            }
            node.type = JsonNode::Type::Number;
            node.text = QByteArray(start, m_at - start);
            return true;
        }

        bool hex4(char32_t &code)
        {
            code = 0;
            for (int i = 0; i < 4; ++i, ++m_at) {
                if (m_at == m_end)
                    return failAtEnd();
                const int digit = hexValue(*m_at);
                if (digit < 0)
                    return failUnexpected(
                        QCoreApplication::translate("Sluice::JsonReader", "a hexadecimal digit"));
                code = code * 16 + char32_t(digit);
            }
            return true;
        }

        bool string(QByteArray &out)
        {
            ++m_at; // the opening quote
            // The common case, no escape: one allocation of the exact size.
            const char *run = m_at;
            while (run != m_end && *run != '"' && *run != '\\' && uchar(*run) >= 0x20)
                ++run;
            if (run != m_end && *run == '"') {
                out = QByteArray(m_at, run - m_at);
                m_at = run + 1;
                return true;
            }
            out.clear();
            while (true) {
                const char *run = m_at;
                while (m_at != m_end && *m_at != '"' && *m_at != '\\' && uchar(*m_at) >= 0x20)
                    ++m_at;
                out.append(run, m_at - run);
                if (m_at == m_end)
                    return failAtEnd();
                if (*m_at == '"') {
                    ++m_at;
                    return true;
                }
                if (*m_at != '\\')
                    return fail(QCoreApplication::translate(
                        "Sluice::JsonReader", "control character in a string"));
                ++m_at;
                if (m_at == m_end)
                    return failAtEnd();
                const char escape = *m_at++;
                switch (escape) {
                case '"':
                case '\\':
                case '/':
                    out += escape;
                    break;
                case 'b':
                    out += '\b';
                    break;
                case 'f':
                    out += '\f';
                    break;
                case 'n':
                    out += '\n';
                    break;
                case 'r':
                    out += '\r';
                    break;
                case 't':
                    out += '\t';
                    break;
                case 'u': {
                    char32_t code = 0;
                    if (!hex4(code))
                        return false;
                    if (code >= 0xDC00 && code <= 0xDFFF)
                        return fail(QCoreApplication::translate(
                            "Sluice::JsonReader", "lone low surrogate in a string"));
                    if (code >= 0xD800 && code <= 0xDBFF) {
                        if (m_end - m_at < 2 || m_at[0] != '\\' || m_at[1] != 'u')
                            return fail(QCoreApplication::translate(
                                "Sluice::JsonReader", "high surrogate without its low half"));
                        m_at += 2;
                        char32_t low = 0;
                        if (!hex4(low))
                            return false;
                        if (low < 0xDC00 || low > 0xDFFF)
                            return fail(QCoreApplication::translate(
                                "Sluice::JsonReader", "high surrogate without its low half"));
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00);
                    }
                    appendUtf8(out, code);
                    break;
                }
                default:
                    --m_at;
                    return failUnexpected(
                        QCoreApplication::translate("Sluice::JsonReader", "an escape character"));
                }
            }
        }

        // The path through this container to a child: matched + 1 when the child is the next
        // step of the stream pointer, else -1.
        int childMatch(int matched, QByteArrayView key, qsizetype index) const
        {
            if (matched < 0 || matched >= m_streamPointer->tokens().size())
                return -1;
            const QByteArray &token = m_streamPointer->tokens().at(matched);
            const bool same = index >= 0 ? JsonPointer::indexOf(token) == index : token == key;
            return same ? matched + 1 : -1;
        }

        bool array(JsonNode &node, int depth, int matched)
        {
            node.type = JsonNode::Type::Array;
            return sequence(']', depth, [&] {
                const qsizetype index = qsizetype(node.items.size());
                node.items.emplace_back();
                return value(node.items.back(), depth, childMatch(matched, {}, index));
            });
        }

        // The array the stream pointer names: each element read into one reused node and
        // handed over; the tree keeps the array empty.
        bool streamedArray(JsonNode &node, int depth)
        {
            node.type = JsonNode::Type::Array;
            m_streamed = true;
            qsizetype index = 0;
            JsonNode element;
            return sequence(']', depth, [&] {
                element.type = JsonNode::Type::Null;
                element.text.clear();
                element.items.clear();
                element.keys.clear();
                if (!value(element, depth))
                    return false;
                if (Result<void> ok = (*m_onElement)(index++, element); !ok) {
                    m_error = ok.error();
                    return false;
                }
                return true;
            });
        }

        bool object(JsonNode &node, int depth, int matched = -1)
        {
            node.type = JsonNode::Type::Object;
            return sequence('}', depth, [&] {
                if (m_at == m_end || *m_at != '"')
                    return failUnexpected(QCoreApplication::translate(
                        "Sluice::JsonReader", "a member name in quotes"));
                QByteArray key;
                if (!string(key))
                    return false;
                skipSpace();
                if (m_at == m_end || *m_at != ':')
                    return failUnexpected(QCoreApplication::translate("Sluice::JsonReader", "':'"));
                ++m_at;
                skipSpace();
                const int childMatched = childMatch(matched, key, -1);
                node.keys.append(key);
                node.items.emplace_back();
                return value(node.items.back(), depth, childMatched);
            });
        }

        // The one walker of arrays and objects: from the opening bracket at m_at to the
        // closing one, element() reading each element or member (spaces skipped around it)
        // and returning false on an error.
        template <typename Element> bool sequence(char close, int depth, Element element)
        {
            if (depth > JsonReader::MaxDepth)
                return fail(QCoreApplication::translate(
                    "Sluice::JsonReader", "nested deeper than %1 levels")
                                .arg(JsonReader::MaxDepth));
            ++m_at;
            skipSpace();
            if (m_at != m_end && *m_at == close) {
                ++m_at;
                return true;
            }
            while (true) {
                skipSpace();
                if (!element())
                    return false;
                skipSpace();
                if (m_at == m_end)
                    return failAtEnd();
                if (*m_at == close) {
                    ++m_at;
                    return true;
                }
                if (*m_at != ',')
                    return failUnexpected(close == ']'
                            ? QCoreApplication::translate("Sluice::JsonReader", "',' or ']'")
                            : QCoreApplication::translate("Sluice::JsonReader", "',' or '}'"));
                ++m_at;
            }
        }

        const char *m_begin;
        const char *m_at;
        const char *m_end;
        Error m_error;
        const JsonPointer *m_streamPointer = nullptr;
        const JsonReader::ElementFunction *m_onElement = nullptr;
        bool m_streamed = false;
    };

} // namespace

const JsonNode *JsonNode::member(QByteArrayView key) const
{
    if (type != Type::Object)
        return nullptr;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (keys.at(i) == key)
            return &items[size_t(i)];
    }
    return nullptr;
}

QString JsonNode::typeName() const
{
    return typeName(type);
}

QString JsonNode::typeName(Type type)
{
    switch (type) {
    case Type::Null:
        return QCoreApplication::translate("Sluice::JsonReader", "null");
    case Type::Boolean:
        return QCoreApplication::translate("Sluice::JsonReader", "a boolean");
    case Type::Number:
        return QCoreApplication::translate("Sluice::JsonReader", "a number");
    case Type::String:
        return QCoreApplication::translate("Sluice::JsonReader", "a string");
    case Type::Array:
        return QCoreApplication::translate("Sluice::JsonReader", "an array");
    case Type::Object:
        return QCoreApplication::translate("Sluice::JsonReader", "an object");
    }
    return {};
}

Result<JsonNode> JsonReader::read(QByteArrayView document)
{
    return Parser(document).run();
}

Result<JsonNode> JsonReader::read(
    QByteArrayView document, const JsonPointer &array, const ElementFunction &element)
{
    Parser parser(document);
    parser.streamArray(array, element);
    return parser.run();
}

} // namespace Sluice
