#include "engine/message.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace Sluice {

namespace {

    // Replaces %1..%99 with the arguments in one pass, so that an argument holding "%2" stays
    // as it is; a placeholder without an argument stays too.
    QString substitute(const QString &pattern, const QList<QString> &arguments)
    {
        if (arguments.isEmpty())
            return pattern;
        QString result;
        result.reserve(pattern.size());
        for (qsizetype i = 0; i < pattern.size(); ++i) {
            const QChar c = pattern.at(i);
            if (c != QLatin1Char('%') || i + 1 >= pattern.size() || !pattern.at(i + 1).isDigit()) {
                result += c;
                continue;
            }
            qsizetype end = i + 1;
            int number = 0;
            while (end < pattern.size() && pattern.at(end).isDigit() && end - i <= 2)
                number = number * 10 + pattern.at(end++).digitValue();
            if (number >= 1 && number <= arguments.size()) {
                result += arguments.at(number - 1);
                i = end - 1;
            } else {
                result += c;
            }
        }
        return result;
    }

    std::optional<Message> fromJson(const QJsonValue &value, int depth)
    {
        if (value.isString())
            return Message::plain(value.toString());
        if (!value.isObject() || depth > Message::MaxDepth)
            return std::nullopt;
        const QJsonObject object = value.toObject();
        const QByteArray context = object.value(QLatin1String("c")).toString().toUtf8();
        const QByteArray source = object.value(QLatin1String("s")).toString().toUtf8();
        if (source.isEmpty())
            return std::nullopt;
        const int n = object.value(QLatin1String("n")).toInt(-1);
        Message message(context.constData(), source.constData(), n);
        const QJsonArray arguments = object.value(QLatin1String("a")).toArray();
        if (arguments.size() > 99)
            return std::nullopt;
        for (const QJsonValue &argument : arguments) {
            std::optional<Message> parsed = fromJson(argument, depth + 1);
            if (!parsed)
                return std::nullopt;
            message.arg(*parsed);
        }
        return message;
    }

} // namespace

Message::Message(const char *context, const char *source, int n)
    : m_context(context)
    , m_source(source)
    , m_n(n)
{ }

Message Message::plain(const QString &text)
{
    Message message;
    message.m_text = text;
    return message;
}

Message &Message::arg(const Message &argument)
{
    m_arguments.append(argument);
    return *this;
}

QString Message::english() const
{
    return resolve(false);
}

QString Message::translated() const
{
    return resolve(true);
}

QString Message::resolve(bool translate) const
{
    if (isPlain())
        return m_text;
    QString pattern;
    if (translate) {
        pattern =
            QCoreApplication::translate(m_context.constData(), m_source.constData(), nullptr, m_n);
    } else {
        pattern = QString::fromUtf8(m_source);
        if (m_n >= 0)
            pattern.replace(QLatin1String("%n"), QString::number(m_n));
    }
    QList<QString> arguments;
    arguments.reserve(m_arguments.size());
    for (const Message &argument : m_arguments)
        arguments << argument.resolve(translate);
    return substitute(pattern, arguments);
}

QString Message::key() const
{
    if (isPlain())
        return {};
    return QString::fromUtf8(QJsonDocument(json().toObject()).toJson(QJsonDocument::Compact));
}

QJsonValue Message::json() const
{
    if (isPlain())
        return m_text;
    QJsonObject object{ { QLatin1String("c"), QString::fromUtf8(m_context) },
        { QLatin1String("s"), QString::fromUtf8(m_source) } };
    if (m_n >= 0)
        object.insert(QLatin1String("n"), m_n);
    if (!m_arguments.isEmpty()) {
        QJsonArray arguments;
        for (const Message &argument : m_arguments)
            arguments.append(argument.json());
        object.insert(QLatin1String("a"), arguments);
    }
    return object;
}

std::optional<Message> Message::fromKey(const QString &key)
{
    if (key.isEmpty())
        return std::nullopt;
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(key.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError || !document.isObject())
        return std::nullopt;
    return fromJson(document.object(), 0);
}

QString Message::shown(const QString &text, const QString &key)
{
    if (const std::optional<Message> message = fromKey(key))
        return message->translated();
    return text;
}
} // namespace Sluice
