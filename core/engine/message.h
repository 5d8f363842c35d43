#pragma once

// A user-visible message kept language-neutral: the translation context and English source of
// a tr() text, its plural count and its arguments (each a message, or plain text such as a
// server's words, a path or a number). The run history stores english() as text and key() beside
// it, so that a stored message is shown in the language of the moment (translated()). A plain
// value; any thread.

#include <optional>

#include <QByteArray>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace Sluice {

class Message
{
public:
    Message() = default;
    // context and source: literals that lupdate sees, marked with QT_TRANSLATE_NOOP (or
    // QT_TRANSLATE_N_NOOP with n >= 0, which replaces %n).
    Message(const char *context, const char *source, int n = -1);

    // Plain text, shown as it is in every language.
    static Message plain(const QString &text);

    // Appends the argument that replaces the next placeholder (%1, %2, ...).
    Message &arg(const Message &argument);
    Message &arg(const QString &text) { return arg(plain(text)); }
    Message &arg(qint64 number) { return arg(plain(QString::number(number))); }

    bool isEmpty() const { return m_source.isEmpty() && m_text.isEmpty(); }
    bool isPlain() const { return m_source.isEmpty(); }

    // The message in English (its source with the arguments), whatever the language.
    QString english() const;
    // The message in the language of the installed translators.
    QString translated() const;

    // Compact JSON of the message, {"c":context,"s":source,"n":n,"a":[arguments]}, a plain
    // argument as a JSON string; empty for a plain message (its text says it all).
    QString key() const;
    // The message of a key; nothing for an empty, malformed or too deeply nested key.
    static std::optional<Message> fromKey(const QString &key);
    // What a view shows of a stored text and its key: the key translated, else the text.
    static QString shown(const QString &text, const QString &key);

    static constexpr int MaxDepth = 8;

private:
    QString resolve(bool translate) const;
    QJsonValue json() const;

    QByteArray m_context;
    QByteArray m_source; // empty: a plain message, m_text
    QString m_text;
    int m_n = -1;
    QList<Message> m_arguments;
};

} // namespace Sluice
