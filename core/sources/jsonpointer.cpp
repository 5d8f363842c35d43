#include "sources/jsonpointer.h"

#include "sources/jsonreader.h"

namespace Sluice {

Result<JsonPointer> JsonPointer::parse(const QString &text)
{
    JsonPointer pointer;
    pointer.m_text = text;
    if (text.isEmpty())
        return pointer;
    if (!text.startsWith(QLatin1Char('/')))
        return Error{ tr("a JSON pointer starts with '/' (or is empty for the whole document)"),
            text, ErrorCode::Permanent };
    const QByteArray utf8 = text.toUtf8();
    QByteArray token;
    for (qsizetype i = 1; i <= utf8.size(); ++i) {
        if (i == utf8.size() || utf8.at(i) == '/') {
            pointer.m_tokens << token;
            token.clear();
            continue;
        }
        const char c = utf8.at(i);
        if (c == '~') {
            const char escaped = i + 1 < utf8.size() ? utf8.at(i + 1) : '\0';
            if (escaped != '0' && escaped != '1')
                return Error{ tr("'~' in a JSON pointer must be followed by 0 or 1"), text,
                    ErrorCode::Permanent };
            token += escaped == '0' ? '~' : '/';
            ++i;
        } else {
            token += c;
        }
    }
    return pointer;
}

qsizetype JsonPointer::indexOf(QByteArrayView token)
{
    if (token.isEmpty() || token.size() > 18 || (token.size() > 1 && token.front() == '0'))
        return -1;
    qsizetype index = 0;
    for (char c : token) {
        if (c < '0' || c > '9')
            return -1;
        index = index * 10 + (c - '0');
    }
    return index;
}

const JsonNode *JsonPointer::find(const JsonNode &root) const
{
    const JsonNode *node = &root;
    for (const QByteArray &token : m_tokens) {
        if (node->isObject()) {
            node = node->member(token);
        } else if (node->isArray()) {
            const qsizetype index = indexOf(token);
            node = index >= 0 && std::size_t(index) < node->items.size()
                ? &node->items[std::size_t(index)]
                : nullptr;
        } else {
            node = nullptr;
        }
        if (!node)
            return nullptr;
    }
    return node;
}

QString JsonPointer::element(const QString &base, qsizetype index)
{
    return base + QLatin1Char('/') + QString::number(index);
}

QString JsonPointer::escape(const QString &token)
{
    QString escaped = token;
    escaped.replace(QLatin1Char('~'), QLatin1String("~0"));
    escaped.replace(QLatin1Char('/'), QLatin1String("~1"));
    return escaped;
}

} // namespace Sluice
